# The viewer in the tests (sourced after lib.sh): its files where the
# rendered configs look for them, and the checks that a shipped config
# serves them as it should.

# The policy every shipped config sends with the viewer's files.
viewer_csp="default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"

# install_viewer: what `make install` puts in $(datadir)/dcmfeed/viewer, into
# $test_dir/viewer (render_config's DCMFEED_DATADIR is $test_dir), through
# the Makefile's own install rules, readable by a server's user. Outside
# make check (no top_builddir) there is nothing to install from, and
# check_viewer_served skips.
viewer_installed=""
install_viewer() {
    [ -n "${top_builddir:-}" ] || return 0
    mkdir -p "$test_dir/viewer"
    env -u DESTDIR make -s -C "$top_builddir" install-dist_viewerDATA install-nodist_viewerDATA \
        viewerdir="$test_dir/viewer" >"$test_dir/viewer-install.log" 2>&1 ||
        { cat "$test_dir/viewer-install.log"; echo "cannot install the viewer's files"; exit 1; }
    chmod -R a+rX "$test_dir/viewer"
    viewer_installed=1
}

# check_viewer_served BASE CURL_AUTH...: the server at BASE (the feed's
# prefix URL) serves the viewer at BASE/viewer/ behind the feed's password,
# with the types and headers of the shipped configs, and the feed beside it.
check_viewer_served() {
    local base=$1 what
    shift
    if [ -z "$viewer_installed" ]; then
        skip "the viewer" "its files are installed from the build tree (run from make check)"
        return 0
    fi
    http GET "$base/viewer/"
    check "viewer: anonymous answers 401" [ "$status" = 401 ]
    http GET "$base/viewer/" "$@"
    check "viewer: the page with the feed's password ($status)" \
        bash -c "[ '$status' = 200 ] && grep -q 'src=\"main.js\"' '$test_dir/body'"
    check "viewer: the page is HTML" bash -c "case '$(header Content-Type)' in text/html*) ;; *) exit 1;; esac"
    check "viewer: its Content-Security-Policy" [ "$(header Content-Security-Policy)" = "$viewer_csp" ]
    check "viewer: nosniff and no referrer" \
        [ "$(header X-Content-Type-Options)/$(header Referrer-Policy)" = "nosniff/no-referrer" ]
    for what in main.js feed.js dicom.js chart.js; do
        http GET "$base/viewer/$what" "$@"
        check "viewer: $what is served as JavaScript" \
            bash -c "[ '$status' = 200 ] && case '$(header Content-Type)' in text/javascript*) ;; *) exit 1;; esac"
    done
    http GET "$base/viewer/viewer.css" "$@"
    check "viewer: viewer.css is CSS" bash -c "case '$(header Content-Type)' in text/css*) ;; *) exit 1;; esac"
    http GET "$base/viewer/dicom-keywords.json" "$@"
    check "viewer: the keyword table is JSON from the reader's dictionary" \
        body_is '.["00100010"] == "PatientName" and (keys | length) > 4500'
    http GET "$base/viewer" "$@"
    check "viewer: the folder without its slash is sent to it ($status)" \
        bash -c "case '$status' in 301|302) ;; *) exit 1;; esac && case '$(header Location)' in */dicom/viewer/) ;; *) exit 1;; esac"
    http GET "$base/viewer/../v1/changefeed/latest?includemetadata=false" "$@"
    check "viewer: the feed answers beside it" bash -c "case '$status' in 200|204|503) ;; *) exit 1;; esac"
    http GET "$base/viewerX" "$@"
    check "viewer: a neighbour of its folder is not served from it" \
        bash -c "[ '$status' != 200 ] && ! grep -q 'main.js' '$test_dir/body'"
}
