package rules

import "github.com/tlsvet/tlsvet/internal/lint"

// certificateRules lists the TV5xx rules: certificate and key files.
var certificateRules = []*lint.Rule{
	CertExpired,
	WeakKey,
	BadPEM,
	CertFileMissing,
	PrivateKeyCommitted,
	WeakSignature,
}
