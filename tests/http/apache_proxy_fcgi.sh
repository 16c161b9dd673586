#!/bin/sh
# Apache 2 with the shipped proxy-fcgi config: see tests/http/apache.sh.
exec bash "${top_srcdir:-.}/tests/http/apache.sh" proxy-fcgi
