package web_test

import (
	"bytes"
	"os"
	"regexp"
	"slices"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"

	"github.com/resindex/resindex/web"
)

// apiRoutes are the routes web/server.go's routes() registers under
// /api/v1/.
var apiRoutes = []string{
	"GET /api/v1/openapi.yaml",
	"GET /api/v1/me",
	"GET /api/v1/persons",
	"GET /api/v1/persons/{id}",
	"GET /api/v1/persons/{id}/household",
	"GET /api/v1/persons/{id}/links",
	"POST /api/v1/verify",
	"POST /api/v1/export",
	"GET /api/v1/review",
	"POST /api/v1/overrides",
	"GET /api/v1/audit",
	"GET /api/v1/alerts",
	"GET /api/v1/alerts/{id}",
	"POST /api/v1/alerts/{id}/acknowledge",
	"POST /api/v1/alerts/{id}/close",
	"GET /api/v1/fraud/{check}",
	"GET /api/v1/fraud/findings/{id}",
	"POST /api/v1/fraud/findings/{id}/review",
	"POST /api/v1/fraud/run",
	"GET /api/v1/rights/persons/{ref}",
	"PUT /api/v1/rights/persons/{ref}/restriction",
	"DELETE /api/v1/rights/persons/{ref}/restriction",
	"PUT /api/v1/rights/persons/{ref}/objection",
	"DELETE /api/v1/rights/persons/{ref}/objection",
	"GET /api/v1/rights/persons/{ref}/sar",
	"POST /api/v1/rights/persons/{ref}/rectification",
	"POST /api/v1/rights/persons/{ref}/erase",
}

func openAPIDoc(t *testing.T) map[string]any {
	t.Helper()
	var doc map[string]any
	if err := yaml.Unmarshal(web.OpenAPI(), &doc); err != nil {
		t.Fatalf("openapi.yaml: %v", err)
	}
	return doc
}

func TestOpenAPIDocsCopy(t *testing.T) {
	docs, err := os.ReadFile("../docs/openapi.yaml")
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(docs, web.OpenAPI()) {
		t.Error("docs/openapi.yaml differs from web/openapi.yaml: copy web/openapi.yaml over it")
	}
}

func TestOpenAPIRoutes(t *testing.T) {
	doc := openAPIDoc(t)
	if v, _ := doc["openapi"].(string); !strings.HasPrefix(v, "3.0.") {
		t.Errorf("openapi = %q, want 3.0.x", v)
	}
	src, err := os.ReadFile("server.go")
	if err != nil {
		t.Fatal(err)
	}
	var registered []string
	for _, m := range regexp.MustCompile(`s\.(?:api|mux\.HandleFunc)\("([A-Z]+ /api/v1/[^"]*)"`).FindAllSubmatch(src, -1) {
		registered = append(registered, string(m[1]))
	}
	if !slices.Equal(registered, apiRoutes) {
		t.Errorf("server.go registers\n%q\nthe test expects\n%q\n(document the new route in openapi.yaml and add it here)", registered, apiRoutes)
	}
	paths, _ := doc["paths"].(map[string]any)
	var documented []string
	for path, item := range paths {
		ops, _ := item.(map[string]any)
		for method := range ops {
			if strings.HasPrefix(path, "/api/v1/") && slices.Contains([]string{"get", "put", "post", "delete", "patch"}, method) {
				documented = append(documented, strings.ToUpper(method)+" "+path)
			}
		}
	}
	for _, r := range apiRoutes {
		t.Run(r, func(t *testing.T) {
			if !slices.Contains(documented, r) {
				t.Errorf("%s: not in openapi.yaml's paths", r)
			}
		})
	}
	for _, d := range documented {
		if !slices.Contains(apiRoutes, d) {
			t.Errorf("%s: in openapi.yaml but not a route", d)
		}
	}
}

func TestOpenAPIRefs(t *testing.T) {
	doc := openAPIDoc(t)
	n := 0
	var walk func(at string, v any)
	walk = func(at string, v any) {
		switch v := v.(type) {
		case map[string]any:
			for k, x := range v {
				if ref, ok := x.(string); ok && k == "$ref" {
					n++
					if !resolves(doc, ref) {
						t.Errorf("%s: $ref %q resolves to nothing", at, ref)
					}
				}
				walk(at+"/"+k, x)
			}
		case []any:
			for _, x := range v {
				walk(at, x)
			}
		case map[any]any:
			t.Errorf("%s: a mapping with keys that are not strings", at)
		}
	}
	walk("", doc)
	if n == 0 {
		t.Error("no $ref found")
	}
}

// resolves reports whether a local reference (#/components/…) names a
// defined component.
func resolves(doc map[string]any, ref string) bool {
	rest, ok := strings.CutPrefix(ref, "#/components/")
	if !ok {
		return false
	}
	var v any = doc["components"]
	for _, part := range strings.Split(rest, "/") {
		m, ok := v.(map[string]any)
		if !ok {
			return false
		}
		part = strings.NewReplacer("~1", "/", "~0", "~").Replace(part)
		if v, ok = m[part]; !ok {
			return false
		}
	}
	return v != nil
}
