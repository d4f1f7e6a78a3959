// Package mid registers nothing itself; it imports a package that does.
package mid

import _ "reg"
