package rules

import "github.com/tlsvet/tlsvet/internal/lint"

// optionFileRules lists TV001–TV010: option-file and command-line syntax and option names.
var optionFileRules = []*lint.Rule{
	lint.ParseError,
	UnknownOption,
	IncludeProblem,
	RemovedOption,
	DeprecatedOption,
	BadValue,
	IgnoredGroup,
	CommentPitfall,
	DuplicateSetting,
	FlagSwallowed,
}
