#!/bin/sh
# Apache 2 with the shipped cgi config: see tests/apache.sh.
exec bash "${top_srcdir:-.}/tests/apache.sh" cgi
