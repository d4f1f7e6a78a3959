package rules

import "github.com/tlsvet/tlsvet/internal/lint"

// certificateRules lists the rules about certificate and key files: TV5xx,
// and TV406 (a CA that does not sign the certificate).
var certificateRules = []*lint.Rule{
	CAMismatch,
	CertExpired,
	WeakKey,
	BadPEM,
	CertFileMissing,
	PrivateKeyCommitted,
	WeakSignature,
}
