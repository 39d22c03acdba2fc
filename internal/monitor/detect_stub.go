package monitor

func (s *scan) routing() error      { return nil }
func (s *scan) codeShift() error    { return nil }
func (s *scan) belowFloor() error   { return nil }
func (s *scan) undertakings() error { return nil }
