package rules

// optionFileRules lists TV001–TV009: option-file syntax and option names.
var optionFileRules = []*Rule{}
