package duty

import decpkg "github.com/mineralpact/mineralpact/internal/dec"

func mustDec(s string) decpkg.Decimal { return decpkg.MustParse(s) }
