package sqlite_test

import (
	"path/filepath"
	"testing"

	"github.com/mineralpact/mineralpact/internal/store"
	"github.com/mineralpact/mineralpact/internal/store/storetest"
)

func TestDutyConformance(t *testing.T) {
	storetest.RunDuty(t, func(t *testing.T) store.Store {
		return open(t, filepath.Join(t.TempDir(), "mineralpact.db"))
	})
}
