package main

import (
	"fmt"
	"io"
	"strconv"
	"strings"
	"sync"
	"time"
)

// progress draws a one-line report of long work on standard error, at most
// ten times a second, and only when standard error is a terminal: piped or
// redirected, it writes nothing. Its methods are safe for concurrent use, so
// that workers may report directly.
type progress struct {
	w     io.Writer
	what  string // "assessing", "simulating"
	unit  string // "rows", "paths"
	on    bool
	start time.Time

	mu    sync.Mutex
	last  time.Time
	drawn bool
}

// newProgress returns a progress report of what is being done, counted in
// unit, drawn on s.err if s.errTTY.
func newProgress(s streams, what, unit string) *progress {
	return &progress{w: s.err, what: what, unit: unit, on: s.errTTY, start: time.Now()}
}

// count reports n units done of an unknown total, with the rate: a spinner.
// Its signature is duty.BulkOptions.Progress's.
func (p *progress) count(n int64) {
	p.draw(false, func(el float64) string {
		rate := 0.0
		if el > 0 {
			rate = float64(n) / el
		}
		return fmt.Sprintf("%c %s: %s %s, %s %s/s", `|/-\`[int(el*8)%4], p.what,
			groupDigits(strconv.FormatInt(n, 10)), p.unit, formatFloat(rate, 0), p.unit)
	})
}

// step reports done units of total: a bar. Its signature is
// market.Options.Progress's.
func (p *progress) step(done, total int) {
	p.draw(done >= total, func(el float64) string {
		const width = 30
		fill := min(width, width*done/max(1, total))
		return fmt.Sprintf("%s [%s%s] %d/%d %s, %.1f s", p.what, strings.Repeat("#", fill), strings.Repeat(".", width-fill), done, total, p.unit, el)
	})
}

// draw writes the line, unless one was drawn less than 100 ms ago (a final
// line is always drawn).
func (p *progress) draw(final bool, line func(elapsed float64) string) {
	if !p.on {
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	now := time.Now()
	if now.Sub(p.last) < 100*time.Millisecond && !final {
		return
	}
	p.last, p.drawn = now, true
	fmt.Fprintf(p.w, "\r\033[K%s", line(now.Sub(p.start).Seconds()))
}

// done clears the line, if one was drawn.
func (p *progress) done() {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.drawn {
		fmt.Fprint(p.w, "\r\033[K")
		p.drawn = false
	}
}
