package facts

// How a server reacts to a TLS setup error.

// With tls_certificates_enforced_validation=ON (MySQL 8.1.0+),
// TLS_channel::singleton_init logs
// ER_FAILED_TO_VALIDATE_CERTIFICATES_SERVER_EXIT and fails startup on any
// error Ssl_acceptor_context_data reports: an invalid certificate, and
// every failure of new_VioSSLAcceptorFd (no usable cipher, no usable or an
// empty tls_version, a certificate without its key), where the server
// otherwise starts without TLS on that channel. The constructor passes
// new_VioSSLAcceptorFd's error out whatever it is (SrcEnforcedValidationData).
const (
	SrcEnforcedValidation     = "https://github.com/mysql/mysql-server/blob/mysql-8.4.0/sql/ssl_acceptor_context_operator.cc"
	SrcEnforcedValidationData = "https://github.com/mysql/mysql-server/blob/mysql-8.4.0/sql/ssl_acceptor_context_data.cc"
)
