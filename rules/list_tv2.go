package rules

// cipherRules lists TV201–TV208: ssl_cipher and tls_ciphersuites.
var cipherRules = []*Rule{}
