package rules

// optionFileRules lists TV001–TV009: option-file syntax and option names.
var optionFileRules = []*Rule{
	ParseError,
	UnknownOption,
	IncludeProblem,
	RemovedOption,
	DeprecatedOption,
	BadValue,
	IgnoredGroup,
	CommentPitfall,
	DuplicateSetting,
}
