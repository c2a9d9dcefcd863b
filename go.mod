module github.com/resindex/resindex

go 1.26

require github.com/antzucaro/matchr v0.0.0-20221106193745-7bed6ef61ef9
