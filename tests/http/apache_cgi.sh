#!/bin/sh
# Apache 2 with the shipped cgi config: see tests/http/apache.sh.
exec bash "${top_srcdir:-.}/tests/http/apache.sh" cgi
