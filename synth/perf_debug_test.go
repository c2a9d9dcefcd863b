package synth

import (
	"os"
	"runtime"
	"strconv"
	"testing"
	"time"
)

func TestDebugPerf(t *testing.T) {
	n, _ := strconv.Atoi(os.Getenv("SYNTH_N"))
	if n == 0 {
		t.Skip()
	}
	t0 := time.Now()
	b, err := Generate(Config{Persons: n, Seed: 7}, nil)
	if err != nil {
		t.Fatal(err)
	}
	el := time.Since(t0)
	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	v := 0
	for _, r := range b.Records {
		v += len(r)
	}
	t.Logf("n=%d took %v live=%d versions=%d heap=%dMB sys=%dMB", n, el, len(b.Truth), v, ms.HeapAlloc>>20, ms.Sys>>20)
}
