package searchbench

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"

	"github.com/resindex/resindex"
	"github.com/resindex/resindex/access"
	"github.com/resindex/resindex/web"
)

// Client searches the JSON API as a member of staff's client does:
// signed in by API token, ten results a page.
type Client struct {
	HTTP  *http.Client
	Base  string // http://host:port
	Token string
}

// Search makes one search and returns the references of the persons
// found.
func (c *Client) Search(q resindex.Query) ([]string, error) {
	req, err := http.NewRequest("GET", c.Base+"/api/v1/persons?"+queryValues(q).Encode(), nil)
	if err != nil {
		return nil, err
	}
	req.Header.Set("Authorization", "Bearer "+c.Token)
	resp, err := c.HTTP.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		var eb web.ErrorBody
		json.NewDecoder(resp.Body).Decode(&eb)
		return nil, fmt.Errorf("bench api: search answered %d: %s", resp.StatusCode, eb.Error.Message)
	}
	var page access.SearchPage
	if err := json.NewDecoder(resp.Body).Decode(&page); err != nil {
		return nil, fmt.Errorf("bench api: %w", err)
	}
	refs := make([]string, len(page.Results))
	for i, r := range page.Results {
		refs[i] = r.Ref
	}
	return refs, nil
}

// queryValues is a query as the API's parameters.
func queryValues(q resindex.Query) url.Values {
	v := url.Values{"page_size": {"10"}}
	for k, x := range map[string]string{"given": q.Given, "family": q.Family, "dob": q.DOB, "postcode": q.Postcode} {
		if x != "" {
			v.Set(k, x)
		}
	}
	for kind, x := range q.Identifiers {
		v.Add("id", kind+":"+x)
	}
	return v
}

// FormValues is a query as the staff UI's search form sends it.
func FormValues(q resindex.Query) url.Values {
	v := url.Values{}
	for k, x := range map[string]string{"given": q.Given, "family": q.Family, "dob": q.DOB, "place": q.Postcode} {
		if x != "" {
			v.Set(k, x)
		}
	}
	for kind, x := range q.Identifiers {
		v.Set("id_kind", kind)
		v.Set("id_value", x)
	}
	return v
}
