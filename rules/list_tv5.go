package rules

import "github.com/tlsvet/tlsvet/internal/lint"

// certificateRules lists the rules about certificate and key files: TV5xx,
// TV405 (a verifying client's host not in the certificate) and TV406 (a CA
// that does not sign the certificate).
var certificateRules = []*lint.Rule{
	IdentityMismatch,
	CAMismatch,
	CertExpired,
	WeakKey,
	BadPEM,
	CertFileMissing,
	PrivateKeyCommitted,
	WeakSignature,
	CertExpiring,
	KeyCertMismatch,
}
