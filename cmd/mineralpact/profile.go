package main

import (
	"fmt"
	"os"
	"runtime/pprof"
)

// startProfile writes a CPU profile of the whole command to the file
// MINERALPACT_CPUPROFILE names, and an allocation profile at its end to the
// file MINERALPACT_MEMPROFILE names, if they name one (profile before
// guessing: `MINERALPACT_CPUPROFILE=/tmp/cpu.out mineralpact assess ...`,
// then `go tool pprof`; `-sample_index=alloc_space` for the allocations).
// The returned function stops them.
func startProfile() func() {
	stopCPU := func() {}
	if path := os.Getenv("MINERALPACT_CPUPROFILE"); path != "" {
		f, err := os.Create(path)
		if err != nil {
			fmt.Fprintf(os.Stderr, "MINERALPACT_CPUPROFILE: %v\n", err)
		} else if err := pprof.StartCPUProfile(f); err != nil {
			fmt.Fprintf(os.Stderr, "MINERALPACT_CPUPROFILE: %v\n", err)
			f.Close()
		} else {
			stopCPU = func() {
				pprof.StopCPUProfile()
				f.Close()
			}
		}
	}
	memPath := os.Getenv("MINERALPACT_MEMPROFILE")
	return func() {
		stopCPU()
		if memPath == "" {
			return
		}
		f, err := os.Create(memPath)
		if err != nil {
			fmt.Fprintf(os.Stderr, "MINERALPACT_MEMPROFILE: %v\n", err)
			return
		}
		defer f.Close()
		if err := pprof.Lookup("allocs").WriteTo(f, 0); err != nil {
			fmt.Fprintf(os.Stderr, "MINERALPACT_MEMPROFILE: %v\n", err)
		}
	}
}
