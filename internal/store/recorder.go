package store

import (
	"context"
	"errors"
	"sync"
)

// Recorder records assessments for many concurrent callers with group commit:
// each caller of Record waits until its record is committed, and the records
// that arrive while one transaction commits go together in the next one. Under
// load one transaction carries many requests, so the store's write lock and
// commit are paid once per group instead of once per request; a lone request
// is committed at once. The queue is bounded: when it is full, Record waits.
type Recorder struct {
	s       Assessments
	max     int
	queue   chan *pending
	closing chan struct{}
	done    chan struct{}
	once    sync.Once
}

type pending struct {
	r       AssessmentRecord
	created bool
	err     error
	done    chan struct{}
}

// ErrRecorderClosed is returned by Record after Close.
var ErrRecorderClosed = errors.New("store: assessment recorder is closed")

// NewRecorder starts a recorder over s that commits at most max records per
// transaction (0: 256) and queues at most 4 × max.
func NewRecorder(s Assessments, max int) *Recorder {
	if max <= 0 {
		max = 256
	}
	r := &Recorder{s: s, max: max, queue: make(chan *pending, 4*max), closing: make(chan struct{}), done: make(chan struct{})}
	go r.loop()
	return r
}

// Record records rec and reports whether it was new (false: the declaration
// was already recorded under that agreement, and the first record is kept).
// It returns once the record is committed, or with ctx's error.
func (r *Recorder) Record(ctx context.Context, rec AssessmentRecord) (created bool, err error) {
	p := &pending{r: rec, done: make(chan struct{})}
	select {
	case r.queue <- p:
	case <-r.closing:
		return false, ErrRecorderClosed
	case <-ctx.Done():
		return false, ctx.Err()
	}
	select {
	case <-p.done:
		return p.created, p.err
	case <-ctx.Done():
		// The record may still be committed: a retry finds it recorded.
		return false, ctx.Err()
	}
}

// Get returns a recorded assessment; see Assessments.GetAssessment.
func (r *Recorder) Get(ctx context.Context, agreementHash, declarationID string) (AssessmentRecord, error) {
	return r.s.GetAssessment(ctx, agreementHash, declarationID)
}

// Put records rs in one transaction of its own, for a caller that groups
// records itself (a batch request); see Assessments.PutAssessments.
func (r *Recorder) Put(ctx context.Context, rs []AssessmentRecord) ([]bool, error) {
	return r.s.PutAssessments(ctx, rs)
}

// Close commits what is queued and stops the recorder.
func (r *Recorder) Close() {
	r.once.Do(func() { close(r.closing) })
	<-r.done
}

func (r *Recorder) loop() {
	defer close(r.done)
	group := make([]*pending, 0, r.max)
	for {
		group = group[:0]
		select {
		case p := <-r.queue:
			group = append(group, p)
		case <-r.closing:
			// Drain what was queued before Close.
			for {
				select {
				case p := <-r.queue:
					r.commit([]*pending{p})
				default:
					return
				}
			}
		}
	fill:
		for len(group) < r.max {
			select {
			case p := <-r.queue:
				group = append(group, p)
			default:
				break fill
			}
		}
		r.commit(group)
	}
}

// commit writes a group in one transaction; if that fails, each record alone,
// so that one bad record fails only its caller.
func (r *Recorder) commit(group []*pending) {
	recs := make([]AssessmentRecord, len(group))
	for i, p := range group {
		recs[i] = p.r
	}
	created, err := r.s.PutAssessments(context.Background(), recs)
	if err != nil && len(group) > 1 {
		for _, p := range group {
			r.commit([]*pending{p})
		}
		return
	}
	for i, p := range group {
		if err != nil {
			p.err = err
		} else {
			p.created = created[i]
		}
		close(p.done)
	}
}
