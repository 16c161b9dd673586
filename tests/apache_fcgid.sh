#!/bin/sh
# Apache 2 with the shipped fcgid config: see tests/apache.sh.
exec bash "${top_srcdir:-.}/tests/apache.sh" fcgid
