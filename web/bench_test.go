package web_test

import (
	"net/http"
	"net/url"
	"testing"

	"github.com/resindex/resindex/web"
)

// BenchmarkAPISearch times a search through the API (token sign-in,
// policy, audit entry) over the 1,500-person test borough; `resindex
// bench api` measures the same at a million records.
func BenchmarkAPISearch(b *testing.B) {
	s := newServer(b, web.Config{})
	var qs []string
	for _, p := range s.persons {
		r := p.Records[0]
		if r.Name.Family != "" && r.DOB != "" {
			qs = append(qs, "/api/v1/persons?"+url.Values{"given": {r.Name.Given}, "family": {r.Name.Family}, "dob": {r.DOB}}.Encode())
		}
		if len(qs) == 500 {
			break
		}
	}
	tok := s.tokens["safeguarding"]
	for i := 0; b.Loop(); i++ {
		req, _ := http.NewRequest("GET", s.url+qs[i%len(qs)], nil)
		req.Header.Set("Authorization", "Bearer "+tok)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			b.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != 200 {
			b.Fatalf("status %d", resp.StatusCode)
		}
	}
}
