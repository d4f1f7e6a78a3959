// Package tlsinit sets up TLS by importing the package that registers it.
package tlsinit

import _ "example.com/app/tlsinit/certs"
