#!/bin/sh
# Apache 2 with the shipped proxy-fcgi config: see tests/apache.sh.
exec bash "${top_srcdir:-.}/tests/apache.sh" proxy-fcgi
