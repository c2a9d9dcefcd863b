package file_test

import (
	"bytes"
	"errors"
	"io"
	"testing"

	"github.com/resindex/resindex/connectors/file"
)

// FuzzReader: any bytes, read as CSV, NDJSON or a JSON document, give
// records with an id, RowErrors naming the file and a position, or one
// fatal error that Next repeats; nothing panics, and Next reaches the end
// within one call per input byte.
func FuzzReader(f *testing.F) {
	f.Add([]byte("ref,surname,born\n1,Lee,01/02/1990\n2,\"a\nb\",x\n3,\"\n"), uint8(0))
	f.Add([]byte("\xef\xbb\xbfref,born\r\n1,31/02/1990\r\n,\r\n\"\"\"\",1\n"), uint8(0))
	f.Add([]byte("{\"ref\":\"1\",\"born\":\"01/02/1990\"}\n[1]\n{\"ref\":2}{}\n\n{\"ref\":\"3\""), uint8(1))
	f.Add([]byte(`{"x":[1,{"a":[]}],"rows":[{"ref":"1"},2,{"ref":3,"born":"x"}],"y":null}`), uint8(2))
	m := mustMapping(f, testMapping)
	formats := []file.Format{file.CSV, file.NDJSON, file.JSON}
	f.Fuzz(func(t *testing.T, data []byte, format uint8) {
		r, err := file.NewReader(bytes.NewReader(data), "in", formats[int(format)%len(formats)], m)
		if err != nil {
			return
		}
		for calls := 0; ; calls++ {
			if calls > len(data)+1 {
				t.Fatalf("Next did not end after %d calls on %d bytes", calls, len(data))
			}
			rec, pos, err := r.Next()
			var re *file.RowError
			switch {
			case err == io.EOF:
				return
			case errors.As(err, &re):
				if re.File != "in" || re.Line < 1 || pos != re.Line {
					t.Fatalf("row error %+v at %d", re, pos)
				}
			case err != nil:
				if _, _, again := r.Next(); again != err {
					t.Fatalf("fatal error %v, then %v", err, again)
				}
				return
			case rec.ID == "" || rec.Source != m.Source || pos < 1:
				t.Fatalf("record %+v at %d", rec, pos)
			}
		}
	})
}
