package synth

// GenerateTo generates a borough and writes it to dir (see Write);
// progress, if not nil, is told how generating goes. It returns how many
// record versions the sources hold and how many records are live.
func GenerateTo(cfg Config, dir string, progress func(stage string, done, total int)) (versions, live int, err error) {
	b, err := Generate(cfg, progress)
	if err != nil {
		return 0, 0, err
	}
	if err := b.Write(dir); err != nil {
		return 0, 0, err
	}
	for _, rs := range b.Records {
		versions += len(rs)
	}
	return versions, len(b.Truth), nil
}

// GeneratePeopleTo generates the people profile and writes it to dir
// (see People.Write); it returns how many records it wrote.
func GeneratePeopleTo(cfg PeopleConfig, dir string) (int, error) {
	p, err := GeneratePeople(cfg)
	if err != nil {
		return 0, err
	}
	if err := p.Write(dir); err != nil {
		return 0, err
	}
	return len(p.Truth), nil
}
