# Turns a config template (apache-conf/*.in) into a config: each placeholder
# @DCMFEED_NAME@ becomes the value of the environment variable DCMFEED_NAME,
# written the way the spot it lands in reads it, so that any path and any
# PostgreSQL address (spaces, quotes, '&', '|', '\', '%', '$') arrives whole.
# Used by the Makefile and by the tests (tests/lib/config_lib.sh):
#   DCMFEED_DB=… DCMFEED_FCGI=… awk -f render-config.awk TEMPLATE > CONFIG
#
# The values are taken from the environment and escaped here, character by
# character, rather than handed to sed, whose replacement text treats '&',
# '\' and its delimiter as syntax. The template's name gives its syntax
# (apache-*, lighttpd-*, *.service or *.socket); the spot is told by the
# template's double quotes on the placeholder's line:
# - inside "…": escaped for that syntax's double-quoted strings: Apache reads
#   \" and \\, lighttpd only \" (a backslash stays one), systemd C escapes and
#   %-specifiers (% is written %%);
# - outside quotes on a comment line, or anywhere in a sh script: a shell
#   word (the comments show commands to copy), single-quoted unless plain;
# - outside quotes elsewhere: systemd's unquoted settings (ListenStream=)
#   take it with % doubled; an Apache or lighttpd directive must quote it.
# A placeholder whose name ends in _SH (@DCMFEED_RUNDIR_SH@) is the value of
# the name without it, as a shell word, for a command the config runs
# (lighttpd's include_shell): the word, then quoted for the spot as above.
# What a syntax cannot hold stops the rendering with a message: a line break
# anywhere, "${" for Apache (which expands ${NAME} in every line, with no
# escape), a backslash at the end of a lighttpd string.
#
# A line that starts with @?NAME@ is kept (without the mark) only when the
# environment variable NAME is set and not empty, one that starts with
# @!NAME@ only when it is not: the comments then show the commands that fit
# where the install put the file (e.g. no `ln -s` into conf-available/ when
# the file is already there).

function fail(msg) {
    print "render-config.awk: " FILENAME ":" FNR ": " msg | "cat 1>&2"
    failed = 1
    exit 1
}

# The value as written between double quotes.
function quoted(v, next_char,    out, i, c) {
    if (syntax == "apache" && index(v, "${") > 0)
        fail("Apache would expand the ${…} in this value (percent-encode the '{' in a URI)")
    if (syntax == "lighttpd" && substr(v, length(v)) == "\\" && next_char == "\"")
        fail("lighttpd cannot read a string that ends with a backslash")
    out = ""
    for (i = 1; i <= length(v); i++) {
        c = substr(v, i, 1)
        if (c == "\"")
            out = out "\\\""
        else if (c == "\\" && syntax != "lighttpd")
            out = out "\\\\"
        else if (c == "%" && syntax == "systemd")
            out = out "%%"
        else
            out = out c
    }
    return out
}

# The value as an unquoted systemd setting.
function unquoted(v,    out, i, c) {
    out = ""
    for (i = 1; i <= length(v); i++) {
        c = substr(v, i, 1)
        out = out (c == "%" ? "%%" : c)
    }
    return out
}

# The value as a POSIX shell word, or the part of one.
function shell_word(v,    out, i, c) {
    if (v != "" && v !~ /[^A-Za-z0-9_.\/:,=@%+-]/)
        return v
    out = "'"
    for (i = 1; i <= length(v); i++) {
        c = substr(v, i, 1)
        out = out (c == "'" ? "'\\''" : c)
    }
    return out "'"
}

FNR == 1 {
    n = split(FILENAME, parts, "/")
    base = parts[n]
    if (base ~ /^apache-/)
        syntax = "apache"
    else if (base ~ /^lighttpd-/)
        syntax = "lighttpd"
    else if (base ~ /\.(service|socket)(\.in)?$/ || FILENAME ~ /(^|\/)tmpfiles\.d\/[^\/]*$/)
        syntax = "systemd"
    else if (base ~ /\.cgi(\.in)?$/)
        syntax = "sh"
    else
        fail("cannot tell the syntax of this template from its name")
}

/^@[?!]DCMFEED_[A-Z_]+@/ {
    name = substr($0, 3, index(substr($0, 2), "@") - 2)
    set = (name in ENVIRON) && ENVIRON[name] != ""
    if (set != (substr($0, 2, 1) == "?"))
        next
    $0 = substr($0, length(name) + 4)
}

{
    rest = $0
    out = ""
    in_quotes = 0
    comment = rest ~ /^[ \t]*#/
    while (rest != "") {
        if (match(rest, /^@DCMFEED_[A-Z_]+@/)) {
            name = substr(rest, 2, RLENGTH - 2)
            as_shell = name ~ /_SH$/
            if (as_shell)
                name = substr(name, 1, length(name) - 3)
            if (!(name in ENVIRON))
                fail("no value for @" name "@ (set " name ")")
            v = ENVIRON[name]
            if (as_shell)
                v = shell_word(v)
            if (v ~ /[\n\r]/)
                fail("the value of " name " holds a line break")
            rest = substr(rest, RLENGTH + 1)
            if (syntax == "sh" && in_quotes)
                fail("@" name "@ must stand outside quotes in a sh script")
            else if (in_quotes)
                out = out quoted(v, substr(rest, 1, 1))
            else if (comment || syntax == "sh")
                out = out shell_word(v)
            else if (syntax == "systemd")
                out = out unquoted(v)
            else
                fail("@" name "@ must stand between double quotes")
            continue
        }
        c = substr(rest, 1, 1)
        if (c == "\\") {
            out = out substr(rest, 1, 2)
            rest = substr(rest, 3)
            continue
        }
        if (c == "\"")
            in_quotes = !in_quotes
        out = out c
        rest = substr(rest, 2)
    }
    print out
}

END {
    if (failed)
        exit 1
}
