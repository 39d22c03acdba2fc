package main

import (
	"fmt"
	"os"
	"runtime/pprof"
)

// startProfile writes a CPU profile of the whole command to the file
// MINERALPACT_CPUPROFILE names, if it names one (profile before guessing:
// `MINERALPACT_CPUPROFILE=/tmp/cpu.out mineralpact assess ...`, then `go
// tool pprof`). The returned function stops it.
func startProfile() func() {
	path := os.Getenv("MINERALPACT_CPUPROFILE")
	if path == "" {
		return func() {}
	}
	f, err := os.Create(path)
	if err != nil {
		fmt.Fprintf(os.Stderr, "MINERALPACT_CPUPROFILE: %v\n", err)
		return func() {}
	}
	if err := pprof.StartCPUProfile(f); err != nil {
		fmt.Fprintf(os.Stderr, "MINERALPACT_CPUPROFILE: %v\n", err)
		f.Close()
		return func() {}
	}
	return func() {
		pprof.StopCPUProfile()
		f.Close()
	}
}
