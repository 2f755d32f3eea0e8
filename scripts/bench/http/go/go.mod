module benchhttp

go 1.19
