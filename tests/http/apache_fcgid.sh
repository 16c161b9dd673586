#!/bin/sh
# Apache 2 with the shipped fcgid config: see tests/http/apache.sh.
exec bash "${top_srcdir:-.}/tests/http/apache.sh" fcgid
