<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en_US">
<context>
    <name>App</name>
    <message>
        <location filename="../../widgets/app.py" line="137"/>
        <source>The configuration cannot be used:</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ArrivalBridge</name>
    <message>
        <location filename="../../widgets/arriving_series.py" line="150"/>
        <source>%1 of %2 images received</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../widgets/arriving_series.py" line="157"/>
        <source>%1 of %2 images received: the download stopped</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>AuditWarning</name>
    <message>
        <location filename="../../widgets/audit_warning.py" line="40"/>
        <source>the system keyring is locked or missing</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../widgets/audit_warning.py" line="42"/>
        <source>its folder cannot be written</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../widgets/audit_warning.py" line="45"/>
        <source>⚠ Patient access is not being recorded in the audit trail: %1. Call IT.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>CacheDialog</name>
    <message>
        <location filename="../../widgets/cache_dialog.py" line="50"/>
        <location filename="../../widgets/cache_dialog.py" line="57"/>
        <source>Offline cache</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../widgets/cache_dialog.py" line="75"/>
        <source>Location:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../widgets/cache_dialog.py" line="81"/>
        <source>Open folder</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../widgets/cache_table.py" line="52"/>
        <source>Study date</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../widgets/cache_table.py" line="53"/>
        <source>Patient</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../widgets/cache_table.py" line="54"/>
        <source>Patient ID</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../widgets/cache_table.py" line="55"/>
        <source>Modalities</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../widgets/cache_table.py" line="56"/>
        <source>State</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../widgets/cache_table.py" line="57"/>
        <source>Size</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../widgets/cache_table.py" line="58"/>
        <source>Pinned</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../widgets/cache_table.py" line="59"/>
        <source>Last used</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../widgets/cache_table.py" line="75"/>
        <source>Double-click: read this study</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../widgets/cache_dialog.py" line="108"/>
        <source>Remove selected</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../widgets/cache_dialog.py" line="110"/>
        <source>Free space</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../widgets/cache_dialog.py" line="113"/>
        <source>Remove the least recently used studies until the cache fits its maximum size; pinned and open studies are kept</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../widgets/cache_dialog.py" line="118"/>
        <source>Verify</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../widgets/cache_dialog.py" line="120"/>
        <source>Check every cached file; damaged ones are removed so they are fetched again</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../widgets/cache_dialog.py" line="123"/>
        <source>Import folder or CD…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../widgets/cache_dialog.py" line="125"/>
        <source>Export study…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../widgets/cache_chores.py" line="46"/>
        <source>Cancel</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../widgets/cache_dialog.py" line="137"/>
        <source>Close</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../widgets/cache_reports.py" line="31"/>
        <source>%1 used of %2 · %3 studies</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../widgets/cache_table.py" line="114"/>
        <source>Pinned studies are never removed to free space</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../widgets/cache_table.py" line="163"/>
        <source>complete</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../widgets/cache_table.py" line="167"/>
        <source>partial (%1 of %2 images)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../widgets/cache_table.py" line="171"/>
        <source>partial</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../widgets/cache_table.py" line="173"/>
        <source>empty</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../widgets/cache_dialog.py" line="203"/>
        <source>Remove from the offline cache</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../widgets/cache_dialog.py" line="205"/>
        <source>Remove %1 stud(ies) from the offline cache? They can be downloaded again while a source is reachable.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../widgets/cache_reports.py" line="39"/>
        <source>Removed %1 stud(ies).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../widgets/cache_reports.py" line="43"/>
        <source>Not removed: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../widgets/cache_reports.py" line="52"/>
        <source>Freed %1 by removing %2 least recently used stud(ies).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../widgets/cache_reports.py" line="59"/>
        <source>Nothing removed: the cache is within its maximum size (%1).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../widgets/cache_reports.py" line="65"/>
        <source>%1 pinned</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../widgets/cache_reports.py" line="71"/>
        <source>%1 open</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../widgets/cache_reports.py" line="76"/>
        <source>Kept: %1.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../widgets/cache_reports.py" line="80"/>
        <source>Still over the maximum size: unpin studies or remove them by hand.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../widgets/cache_reports.py" line="88"/>
        <source>Verified %1 file(s): all intact.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../widgets/cache_reports.py" line="92"/>
        <source>Verified %1 file(s): %2 damaged, removed so that they are fetched again:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../widgets/cache_reports.py" line="101"/>
        <source>• %1: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../widgets/cache_reports.py" line="108"/>
        <source>… and %1 more</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../widgets/cache_reports.py" line="117"/>
        <source>Verify cancelled after %1 of %2 file(s).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../widgets/cache_reports.py" line="122"/>
        <source>%1 damaged file(s) found until then were removed so that they are fetched again.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../widgets/cache_reports.py" line="133"/>
        <source>file missing</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../widgets/cache_reports.py" line="134"/>
        <source>file size wrong</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../widgets/cache_reports.py" line="135"/>
        <source>its pack file is cut short</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../widgets/cache_reports.py" line="136"/>
        <source>checksum mismatch</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../widgets/cache_reports.py" line="137"/>
        <source>unreadable: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../widgets/cache_reports.py" line="146"/>
        <source>Verifying: %1 of %2 file(s)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../widgets/cache_dialog.py" line="280"/>
        <source>Import a folder or a patient&apos;s CD (DICOMDIR)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../widgets/cache_reports.py" line="154"/>
        <source>Imported %1 image(s) of %2 stud(ies) from %3.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../widgets/cache_reports.py" line="161"/>
        <source>Skipped %1 file(s): %2 not DICOM, %3 unreadable.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../widgets/cache_reports.py" line="173"/>
        <source>Import cancelled after %1 of %2 file(s): the %3 image(s) imported until then are kept. Import the same folder again to bring the rest.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../widgets/cache_reports.py" line="186"/>
        <source>Importing: %1 of %2 file(s), %3 image(s) imported</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../widgets/cache_dialog.py" line="317"/>
        <source>Export the study to a folder</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../widgets/cache_reports.py" line="197"/>
        <source>Exported %1 file(s) to %2.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../widgets/cache_chores.py" line="86"/>
        <source>Cancelling…</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Download</name>
    <message>
        <location filename="../../widgets/problem_words.py" line="37"/>
        <source>no system keyring to read the password from</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../widgets/problem_words.py" line="40"/>
        <source>not signed in</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../widgets/problem_words.py" line="41"/>
        <source>sign-in refused</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../widgets/problem_words.py" line="27"/>
        <location filename="../../widgets/problem_words.py" line="42"/>
        <source>the disk is full</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../widgets/problem_words.py" line="43"/>
        <source>certificate not trusted</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../widgets/problem_words.py" line="44"/>
        <source>server error</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../widgets/problem_words.py" line="45"/>
        <source>the link failed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../widgets/problem_words.py" line="46"/>
        <source>download failed</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>HistoryView</name>
    <message>
        <location filename="../../widgets/history_view.py" line="102"/>
        <source>Offline: no source could be reached — showing studies from the offline cache</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../widgets/history_view.py" line="118"/>
        <source>No source could be searched.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../widgets/history_view.py" line="120"/>
        <source>No studies match this search.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../widgets/history_view.py" line="127"/>
        <source>%1 different patients match this search. Each is shown on its own: check the identity before reading.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../widgets/history_view.py" line="156"/>
        <source>No configured source uses patient IDs issued by %1: nothing was searched under this ID.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../widgets/history_view.py" line="161"/>
        <source>%1: more studies match than were fetched; narrow the search to see them all.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../widgets/history_view.py" line="165"/>
        <source>%1: %2 result(s) without a usable study UID were left out.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../widgets/history_view.py" line="170"/>
        <source>A study is filed under two patients that no source links: check the patients before reading.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../widgets/history_view.py" line="255"/>
        <source>Sign in…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../widgets/history_view.py" line="259"/>
        <source>%1 was not searched; the results below come from the other sources.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../widgets/history_view.py" line="278"/>
        <source>Possible same patient — confirm</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../widgets/history_view.py" line="284"/>
        <source>Patient %1: %2 · %3 · born %4</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../widgets/history_view.py" line="296"/>
        <source>Same name and birth date, but no registry links these IDs. They stay apart until you confirm that they are one person.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../widgets/history_view.py" line="305"/>
        <source>Confirm: same patient</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>IdleLock</name>
    <message>
        <location filename="../../widgets/idle_lock.py" line="88"/>
        <source>&amp;Lock</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>LockScreen</name>
    <message>
        <location filename="../../widgets/lock_screen.py" line="82"/>
        <source>Password</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../widgets/lock_screen.py" line="89"/>
        <source>Close the session for another user</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../widgets/lock_screen.py" line="92"/>
        <location filename="../../widgets/lock_screen.py" line="254"/>
        <source>Unlock</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../widgets/lock_screen.py" line="113"/>
        <source>Qingying is locked</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../widgets/lock_screen.py" line="116"/>
        <source>Locked at the user&apos;s request. Nothing of a patient is shown.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../widgets/lock_screen.py" line="121"/>
        <source>Locked after %1 minutes without use. Nothing of a patient is shown.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../widgets/lock_screen.py" line="129"/>
        <source>Signed in as %1 through %2 (computer account %3). Sign in again there to unlock: another doctor signing in closes this session.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../widgets/lock_screen.py" line="139"/>
        <source>Signed in as %1 at %2 (computer account %3). Enter %1&apos;s password.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../widgets/lock_screen.py" line="146"/>
        <source>Nobody is signed in to the platform: close the session to go on.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../widgets/lock_screen.py" line="235"/>
        <source>The server&apos;s certificate is refused, so the password was not sent. Close the session, or call IT.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../widgets/lock_screen.py" line="239"/>
        <source>Too many wrong passwords: try again in %1 s.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../widgets/lock_screen.py" line="243"/>
        <source>Wrong password.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../widgets/lock_screen.py" line="246"/>
        <source>The server cannot be reached to check the password, and this session holds none to compare with. Close the session to go on.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../widgets/lock_screen.py" line="249"/>
        <source>The password cannot be checked: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../widgets/lock_screen.py" line="254"/>
        <source>Checking…</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>LoginDialog</name>
    <message>
        <location filename="../../widgets/login_dialog.py" line="69"/>
        <source>Sign in — %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../widgets/login_dialog.py" line="78"/>
        <source>Sign in to %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../widgets/login_dialog.py" line="96"/>
        <source>Remember the password in the system keyring</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../widgets/login_dialog.py" line="98"/>
        <source>Username</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../widgets/login_dialog.py" line="99"/>
        <source>Password</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../widgets/login_dialog.py" line="111"/>
        <source>Checking the password with %1…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../widgets/login_dialog.py" line="127"/>
        <source>Sign in</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../widgets/login_dialog.py" line="131"/>
        <source>Cancel</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../widgets/login_dialog.py" line="144"/>
        <source>Enter a username.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../widgets/login_dialog.py" line="200"/>
        <source>The server accepted the password, but it cannot be remembered: no system keyring is available. Untick “Remember” to sign in for this session only.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../widgets/login_dialog.py" line="207"/>
        <source>Wrong username or password.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../widgets/login_dialog.py" line="233"/>
        <source>The certificate of %1 has expired, so the password was not sent. The server&apos;s administrators must renew it.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../widgets/login_dialog.py" line="238"/>
        <source>The certificate of %1 is self-signed, so the password was not sent. The server&apos;s administrators must install one from a certificate authority the hospital trusts.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../widgets/login_dialog.py" line="244"/>
        <source>The certificate of %1 is for another server than the address configured, so the password was not sent. Ask IT to check the source&apos;s address.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../widgets/login_dialog.py" line="248"/>
        <source>The certificate of %1 is not trusted, so the password was not sent. Ask IT for the site&apos;s CA bundle (ca_bundle in the configuration).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../widgets/login_dialog.py" line="213"/>
        <source>%1 answered with an error. Try again later or call IT.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../widgets/login_dialog.py" line="222"/>
        <source>Cannot reach %1. Check the network connection; the server may be down.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../widgets/login_dialog.py" line="226"/>
        <source>Sign-in failed.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <location filename="../../widgets/main_window.py" line="57"/>
        <source>Qingying — imaging history</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../widgets/window_menus.py" line="31"/>
        <source>Search for a patient to see their imaging history from every hospital.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../widgets/window_menus.py" line="40"/>
        <source>Ctrl+F search · Enter run · Esc cancel</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../widgets/sources_dock.py" line="92"/>
        <source>Sources</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../widgets/sources_dock.py" line="115"/>
        <source>No source configured</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../widgets/sources_dock.py" line="120"/>
        <source>Offline cache…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../widgets/sources_dock.py" line="130"/>
        <source>Authentication: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../widgets/sources_dock.py" line="136"/>
        <source>User: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../widgets/sources_dock.py" line="140"/>
        <source>Patient ID issuer: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../widgets/sources_dock.py" line="252"/>
        <source>signed in as %1 through %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../widgets/sources_dock.py" line="254"/>
        <source>signed in as %1 through %2; the token renews itself (now until %3)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../widgets/window_menus.py" line="59"/>
        <source>&amp;File</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../widgets/window_menus.py" line="60"/>
        <source>&amp;Find patient</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../widgets/window_menus.py" line="64"/>
        <source>Offline &amp;cache…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../widgets/window_menus.py" line="68"/>
        <source>&amp;Prefetch worklist…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../widgets/window_menus.py" line="71"/>
        <source>Bring a clinic worklist&apos;s patients&apos; recent studies into the offline cache</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../widgets/window_menus.py" line="79"/>
        <source>&amp;Quit</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../widgets/window_menus.py" line="83"/>
        <source>&amp;Help</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../widgets/window_menus.py" line="84"/>
        <source>&amp;About Qingying</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../widgets/window_menus.py" line="120"/>
        <source>The cache&apos;s key is gone from the keyring: what it encrypted (cached studies, unsent measurements) cannot be read and was removed; studies are fetched again when opened.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../widgets/cache_windows.py" line="83"/>
        <source>Show the prefetch</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../widgets/window_menus.py" line="131"/>
        <source>built-in defaults</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../widgets/window_menus.py" line="135"/>
        <source>%1 source(s) configured · configuration: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../widgets/sources_dock.py" line="159"/>
        <source>no sign-in needed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../widgets/sources_dock.py" line="162"/>
        <source>signed in as %1 (this session)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../widgets/sources_dock.py" line="166"/>
        <source>signed in as %1 (remembered)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../widgets/sources_dock.py" line="170"/>
        <source>not signed in (no system keyring)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../widgets/sources_dock.py" line="172"/>
        <source>not signed in</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../widgets/main_window.py" line="155"/>
        <source>Signed in to %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../widgets/main_window.py" line="194"/>
        <source>offline cache</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../widgets/main_window.py" line="196"/>
        <source>%1: %2 studies</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../widgets/main_window.py" line="202"/>
        <source>Cancelling…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../widgets/main_window.py" line="215"/>
        <source>%1 patient(s), %2 studies · %3 of %4 sources answered</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../widgets/main_window.py" line="222"/>
        <source>offline: from the cache</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../widgets/main_window.py" line="239"/>
        <source>Search cancelled</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../widgets/reading_binding.py" line="64"/>
        <source>Back to the images left open (F2)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../widgets/reading_binding.py" line="80"/>
        <source>A report, not images: its measurements and key images show on the images of the study</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../widgets/reading_binding.py" line="103"/>
        <source>The series cannot be opened: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../widgets/reading_binding.py" line="110"/>
        <source>Opening the series…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../widgets/reading_binding.py" line="174"/>
        <source>Not in the offline cache: search the history to fetch it</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../widgets/reading_binding.py" line="194"/>
        <source>Sending the measurements…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../widgets/reading_binding.py" line="205"/>
        <source>Not sent: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../widgets/reading_binding.py" line="225"/>
        <source>Back to reading: %1 ▸</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../widgets/reading_binding.py" line="260"/>
        <source>Sent %1 measurement(s) and %2 key image(s) to %3</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../widgets/study_binding.py" line="88"/>
        <source>Fetching this series first: it opens once it is here.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../widgets/study_binding.py" line="123"/>
        <source>No series of this study is whole in the offline cache: search for the patient to fetch the rest.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../widgets/study_binding.py" line="159"/>
        <source>The offline cache cannot be used: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../widgets/study_binding.py" line="168"/>
        <source>No source that holds this study can be asked now: search again.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../widgets/study_binding.py" line="214"/>
        <source>The series did not arrive whole: it cannot be read yet.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../widgets/study_binding.py" line="221"/>
        <source>Study downloaded to the offline cache</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../widgets/study_binding.py" line="231"/>
        <source>%1 download(s): %2/%3 images, %4 MB</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../widgets/study_binding.py" line="267"/>
        <source>This study has no images to read.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../widgets/study_binding.py" line="278"/>
        <source>The series could not be listed: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../widgets/cache_windows.py" line="96"/>
        <source>Choose a clinic worklist</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../widgets/cache_windows.py" line="98"/>
        <source>Worklists (*.txt *.csv);;All files (*)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../widgets/cache_windows.py" line="142"/>
        <source>Prefetch finished</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../widgets/window_menus.py" line="144"/>
        <source>About Qingying</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../widgets/window_menus.py" line="145"/>
        <source>&lt;b&gt;轻影 Qingying&lt;/b&gt; %1&lt;br&gt;A viewer for a regional imaging platform: one patient&apos;s studies from every hospital, so that films are no longer carried and exams not repeated.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Measure</name>
    <message>
        <location filename="../../widgets/measuring.py" line="301"/>
        <source>Note</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../widgets/measuring.py" line="302"/>
        <source>Text shown on the image:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../widgets/measuring.py" line="327"/>
        <source>Calibrate</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../widgets/measuring.py" line="328"/>
        <source>True length of the line drawn (mm):</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../widgets/measure_palette.py" line="75"/>
        <source>Mark key image</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../widgets/measure_palette.py" line="79"/>
        <source>Send measurements and key images to the platform</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../widgets/measure_palette.py" line="85"/>
        <source>Reading (no tool)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../widgets/measure_palette.py" line="92"/>
        <source>Measure</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../widgets/measure_words.py" line="14"/>
        <source>Distance</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../widgets/measure_words.py" line="15"/>
        <source>Polyline</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../widgets/measure_words.py" line="16"/>
        <source>Angle</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../widgets/measure_words.py" line="17"/>
        <source>Cobb angle</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../widgets/measure_words.py" line="18"/>
        <source>Long and short axis</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../widgets/measure_words.py" line="19"/>
        <source>Rectangle ROI</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../widgets/measure_words.py" line="20"/>
        <source>Ellipse ROI</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../widgets/measure_words.py" line="21"/>
        <source>Freehand ROI</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../widgets/measure_words.py" line="22"/>
        <source>Probe</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../widgets/measure_words.py" line="23"/>
        <source>Arrow</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../widgets/measure_words.py" line="24"/>
        <source>Text</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../widgets/measure_words.py" line="25"/>
        <source>Key image</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../widgets/measure_words.py" line="26"/>
        <source>Calibrate (a known length)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../widgets/measure_words.py" line="34"/>
        <source>PixelSpacing</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../widgets/measure_words.py" line="36"/>
        <source>at detector (ImagerPixelSpacing)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../widgets/measure_words.py" line="38"/>
        <source>at detector ÷ magnification %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../widgets/measure_words.py" line="42"/>
        <source>ultrasound region %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../widgets/measure_words.py" line="46"/>
        <source>manual: %1 mm drawn</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../widgets/measure_words.py" line="50"/>
        <source>uncalibrated (px): outside the calibrated regions</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../widgets/measure_words.py" line="53"/>
        <source>uncalibrated (px): across ultrasound regions</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../widgets/measure_words.py" line="56"/>
        <source>uncalibrated (px): the ultrasound regions do not fit the image</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../widgets/measure_words.py" line="62"/>
        <source>uncalibrated (px)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../widgets/measure_words.py" line="100"/>
        <source>Area %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../widgets/measure_words.py" line="107"/>
        <source>Mean %1 SD %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../widgets/measure_words.py" line="112"/>
        <source>Min %1 Max %2 · %3 px</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../widgets/measure_words.py" line="120"/>
        <source>outside the image</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../widgets/measure_words.py" line="134"/>
        <source>★ Key image</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../widgets/measure_words.py" line="139"/>
        <source>Calibration: %1 mm</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../widgets/measure_panel.py" line="36"/>
        <source>Measurements</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../widgets/measure_panel.py" line="72"/>
        <source>series not open</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../widgets/measure_panel.py" line="76"/>
        <source>image %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../widgets/measure_drawing.py" line="124"/>
        <source>no value: points on one another</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../widgets/measure_drawing.py" line="130"/>
        <source>⚠ the report read back says %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../widgets/measure_crossings.py" line="57"/>
        <source>measured on image %1</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>PatientSection</name>
    <message>
        <location filename="../../widgets/patient_section.py" line="45"/>
        <source>Patient %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../widgets/patient_section.py" line="55"/>
        <source>⚠ %1 recent similar exams</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../widgets/patient_section.py" line="61"/>
        <source>male</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../widgets/patient_section.py" line="61"/>
        <source>female</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../widgets/patient_section.py" line="61"/>
        <source>other</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../widgets/patient_section.py" line="62"/>
        <source>sex unknown</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../widgets/patient_section.py" line="65"/>
        <source>ID %1 · issuer %2 · born %3 · %4</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../widgets/patient_section.py" line="67"/>
        <location filename="../../widgets/patient_section.py" line="68"/>
        <source>unknown</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../widgets/patient_section.py" line="79"/>
        <source>Also known as: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../widgets/patient_section.py" line="88"/>
        <source>%1 studies · %2 institutions</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../widgets/patient_section.py" line="104"/>
        <source>no date</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>PrefetchDialog</name>
    <message>
        <location filename="../../widgets/prefetch_dialog.py" line="55"/>
        <location filename="../../widgets/prefetch_dialog.py" line="71"/>
        <source>Prefetch worklist</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../widgets/prefetch_dialog.py" line="77"/>
        <source>Brings each worklist patient&apos;s recent studies into the offline cache, so that the clinic can read them with a poor connection or none.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../widgets/prefetch_dialog.py" line="108"/>
        <source>Cancel</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../widgets/prefetch_dialog.py" line="111"/>
        <source>Close</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../widgets/prefetch_dialog.py" line="150"/>
        <source>Worklist: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../widgets/prefetch_dialog.py" line="151"/>
        <source>Reading the worklist…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../widgets/prefetch_dialog.py" line="167"/>
        <source>Cancelling…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../widgets/prefetch_dialog.py" line="181"/>
        <source>Prefetch: reading the worklist…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../widgets/prefetch_dialog.py" line="183"/>
        <source>Prefetch: opening sources…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../widgets/prefetch_dialog.py" line="185"/>
        <source>Prefetch: patient %1 of %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../widgets/prefetch_dialog.py" line="203"/>
        <source>Opening sources…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../widgets/prefetch_dialog.py" line="211"/>
        <location filename="../../widgets/prefetch_dialog.py" line="261"/>
        <source>%1 patient(s) done</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../widgets/prefetch_dialog.py" line="217"/>
        <source>Patient %1 of %2 (worklist line %3)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../widgets/prefetch_dialog.py" line="224"/>
        <source>Searching for the patient&apos;s studies…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../widgets/prefetch_dialog.py" line="227"/>
        <source>no date</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../widgets/prefetch_dialog.py" line="229"/>
        <source>Study of %1: asking what it holds…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../widgets/prefetch_dialog.py" line="233"/>
        <source>Study of %1: %2/%3 images · %4 MB</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../widgets/prefetch_dialog.py" line="271"/>
        <source>Prefetch cancelled after %1 of %2 patient(s). What arrived stays cached: run it again to resume.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../widgets/prefetch_dialog.py" line="281"/>
        <source>Prefetch failed: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../widgets/prefetch_dialog.py" line="290"/>
        <source>No patient of this worklist is due from today to %1 day(s) ahead: nothing to fetch.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../widgets/prefetch_dialog.py" line="298"/>
        <source>Prefetch finished: %1 patient(s), %2 stud(ies) selected: %3 already cached, %4 fetched (%5 images, %6 MB), %7 failed, %8 patient(s) not found.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../widgets/prefetch_dialog.py" line="312"/>
        <source>Run it again to fetch what is missing.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../widgets/prefetch_dialog.py" line="314"/>
        <source>Not fetched: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../widgets/prefetch_dialog.py" line="315"/>
        <source>Source problem: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../widgets/prefetch_dialog.py" line="317"/>
        <source>Worklist line %1: no study found</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>PriorComparer</name>
    <message>
        <location filename="../../widgets/compare_prior.py" line="76"/>
        <source>Search the patient&apos;s history first: the prior is chosen from it</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../widgets/compare_prior.py" line="80"/>
        <source>No earlier study of this kind in this patient&apos;s history</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../widgets/compare_prior.py" line="89"/>
        <source>The prior&apos;s series cannot be listed: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../widgets/compare_prior.py" line="93"/>
        <source>Finding the prior&apos;s matching series…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../widgets/compare_prior.py" line="107"/>
        <source>The prior has no %1 series to compare with</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../widgets/compare_prior.py" line="113"/>
        <source>Prior: %1, %2</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ReadingHelp</name>
    <message>
        <location filename="../../widgets/reading_help.py" line="28"/>
        <source>Right-drag</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../widgets/reading_help.py" line="29"/>
        <source>Window: left/right narrower/wider, up/down level higher/lower</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../widgets/reading_help.py" line="35"/>
        <source>Window presets. CT: brain, subdural, stroke, lung, mediastinum, abdomen, liver, bone. Other modalities: the file&apos;s own windows</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../widgets/reading_help.py" line="43"/>
        <source>Auto window (1st–99th percentile of this image)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../widgets/reading_help.py" line="47"/>
        <source>The file&apos;s own window again</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../widgets/reading_help.py" line="48"/>
        <source>Invert the grey scale</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../widgets/reading_help.py" line="50"/>
        <source>Wheel, ↑ ↓ ← →, left-drag</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../widgets/reading_help.py" line="51"/>
        <source>Previous / next image</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../widgets/reading_help.py" line="53"/>
        <source>10 images back / on</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../widgets/reading_help.py" line="54"/>
        <source>First / last image</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../widgets/reading_help.py" line="56"/>
        <source>Space</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../widgets/reading_help.py" line="57"/>
        <source>Cine: play / pause, looping</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../widgets/reading_help.py" line="59"/>
        <source>Cine faster / slower (1–60 fps)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../widgets/reading_help.py" line="61"/>
        <source>Ctrl+wheel, Ctrl+left-drag</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../widgets/reading_help.py" line="62"/>
        <source>Zoom (wheel away or drag up: closer)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../widgets/reading_help.py" line="65"/>
        <source>Middle-drag, Shift+left-drag</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../widgets/reading_help.py" line="66"/>
        <source>Pan</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../widgets/reading_help.py" line="68"/>
        <source>Fit the image to the viewport</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../widgets/reading_help.py" line="69"/>
        <source>1:1, one image pixel per screen pixel</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../widgets/reading_help.py" line="72"/>
        <source>Rotate 90° clockwise / anticlockwise</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../widgets/reading_help.py" line="74"/>
        <source>Flip left-right / upside down</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../widgets/reading_help.py" line="76"/>
        <source>Backspace</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../widgets/reading_help.py" line="77"/>
        <source>Reset: upright, fitted, the file&apos;s window, not inverted</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../widgets/reading_help.py" line="83"/>
        <source>Layout: 1×1, 1×2 side by side, 2×1 one above the other, 2×2, 3×3</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../widgets/reading_help.py" line="88"/>
        <source>Click, Tab / Shift+Tab</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../widgets/reading_help.py" line="89"/>
        <source>Choose the viewport a series opens in</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../widgets/reading_help.py" line="93"/>
        <source>Link scrolling on / off. Within one study the viewports follow by position; to link a prior, bring it to the same level first, then L twice</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../widgets/reading_help.py" line="101"/>
        <source>MPR on / off: the series&apos; own plane and two reformats, one point shared (click a plane to move it)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../widgets/reading_help.py" line="109"/>
        <source>Compare with prior: the nearest earlier study of this kind, from any hospital, beside this one</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../widgets/reading_help.py" line="117"/>
        <source>Measure a distance / a polyline (double-click ends it)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../widgets/reading_help.py" line="123"/>
        <source>Angle / Cobb angle / long and short axis</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../widgets/reading_help.py" line="127"/>
        <source>Calibrate: draw a line of known length, give its length in mm</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../widgets/reading_help.py" line="133"/>
        <source>Rectangle / ellipse / freehand region: area, mean, SD, min, max</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../widgets/reading_help.py" line="139"/>
        <source>Probe a value / an arrow / a note</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../widgets/reading_help.py" line="141"/>
        <source>Mark the image a key image, or not</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../widgets/reading_help.py" line="144"/>
        <source>Remove the selected measurement (drag a point to move it)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../widgets/reading_help.py" line="150"/>
        <source>Undo / redo a measurement&apos;s change</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../widgets/reading_help.py" line="152"/>
        <source>This help</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../widgets/reading_help.py" line="155"/>
        <source>Back to the imaging history; the images stay open (F2 returns to them)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../widgets/reading_help.py" line="170"/>
        <source>Reading view: keys and mouse</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../widgets/reading_help.py" line="174"/>
        <source>Key or gesture</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../widgets/reading_help.py" line="174"/>
        <source>Does</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../widgets/reading_help.py" line="186"/>
        <source>Esc, ? or F1 closes this panel.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ReadingView</name>
    <message>
        <location filename="../../widgets/reading_overlay.py" line="32"/>
        <source>unknown</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../widgets/reading_overlay.py" line="34"/>
        <source>male</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../widgets/reading_overlay.py" line="35"/>
        <source>female</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../widgets/reading_overlay.py" line="39"/>
        <source>ID %1 (%2)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../widgets/reading_overlay.py" line="41"/>
        <source>no issuer</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../widgets/reading_overlay.py" line="49"/>
        <source>Series %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../widgets/reading_overlay.py" line="54"/>
        <source>Image %1 / %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../widgets/reading_overlay.py" line="60"/>
        <source>▶ Cine %1 fps</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../widgets/reading_overlay.py" line="74"/>
        <source>Location %1 mm · thickness %2 mm</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../widgets/reading_overlay.py" line="80"/>
        <source>Colour</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../widgets/reading_overlay.py" line="83"/>
        <source>W %1  L %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../widgets/reading_overlay.py" line="88"/>
        <source>VOI LUT of the file</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../widgets/reading_overlay.py" line="89"/>
        <source>Zoom %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../widgets/reading_overlay.py" line="94"/>
        <source>Inverted</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../widgets/reading_overlay.py" line="107"/>
        <source>Auto window (1–99 %)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../widgets/reading_overlay.py" line="109"/>
        <source>Window %1 of the file</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../widgets/reading_overlay.py" line="113"/>
        <source>Brain window</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../widgets/reading_overlay.py" line="114"/>
        <source>Subdural window</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../widgets/reading_overlay.py" line="115"/>
        <source>Stroke window</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../widgets/reading_overlay.py" line="116"/>
        <source>Lung window</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../widgets/reading_overlay.py" line="117"/>
        <source>Mediastinum window</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../widgets/reading_overlay.py" line="118"/>
        <source>Abdomen window</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../widgets/reading_overlay.py" line="119"/>
        <source>Liver window</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../widgets/reading_overlay.py" line="120"/>
        <source>Bone window</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../widgets/reading_overlay.py" line="128"/>
        <source>images without a position</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../widgets/reading_overlay.py" line="131"/>
        <source>no pixel spacing: distances are not real</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../widgets/reading_overlay.py" line="134"/>
        <source>missing slices (gap %1 mm)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../widgets/reading_overlay.py" line="137"/>
        <source>uneven slice spacing</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../widgets/reading_overlay.py" line="140"/>
        <source>gantry tilt %1°</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../widgets/reading_overlay.py" line="141"/>
        <source>two images at one position</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../widgets/reading_overlay.py" line="144"/>
        <source>images of other orientations left out</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../widgets/reading_overlay.py" line="147"/>
        <source>images of another size left out</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../widgets/reading_overlay.py" line="150"/>
        <source>images of another frame of reference left out</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../widgets/reading_overlay.py" line="182"/>
        <source>ultrasound regions do not fit the image: distances are not real</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../widgets/reading_overlay.py" line="217"/>
        <source>uncalibrated</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../widgets/reading_overlay.py" line="228"/>
        <source>%1 mm at detector</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../widgets/reading_overlay.py" line="231"/>
        <source>%1 mm at detector ÷ magnification %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../widgets/reading_overlay.py" line="235"/>
        <source>%1 mm (ultrasound region)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../widgets/reading_overlay.py" line="237"/>
        <source>%1 mm (manual calibration)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../widgets/reading_overlay.py" line="239"/>
        <source>%1 mm</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../widgets/reading_overlay.py" line="276"/>
        <source>Axial %1 / %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../widgets/reading_overlay.py" line="277"/>
        <source>Coronal %1 / %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../widgets/reading_overlay.py" line="278"/>
        <source>Sagittal %1 / %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../widgets/reading_overlay.py" line="290"/>
        <source>Image %1 cannot be shown: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../widgets/reading_overlay.py" line="296"/>
        <source>Image %1 not yet received</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../widgets/reading_bar.py" line="25"/>
        <source>← History</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../widgets/reading_bar.py" line="27"/>
        <source>Back to the imaging history (Esc)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../widgets/reading_bar.py" line="48"/>
        <source>One viewport (Ctrl+1)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../widgets/reading_bar.py" line="49"/>
        <source>Two side by side (Ctrl+2)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../widgets/reading_bar.py" line="50"/>
        <source>Two, one above the other (Ctrl+3)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../widgets/reading_bar.py" line="51"/>
        <source>Four viewports (Ctrl+4)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../widgets/reading_bar.py" line="52"/>
        <source>Nine viewports (Ctrl+9)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../widgets/reading_bar.py" line="61"/>
        <source>Link</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../widgets/reading_bar.py" line="66"/>
        <source>Scroll the viewports together by position (L). Turned on, it links the images now on screen, across studies too: line up a prior first.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../widgets/reading_bar.py" line="74"/>
        <source>MPR</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../widgets/reading_bar.py" line="78"/>
        <source>Axial, coronal and sagittal planes of this series, one point shared (M)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../widgets/reading_bar.py" line="84"/>
        <source>Prior</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../widgets/reading_bar.py" line="87"/>
        <source>Compare with prior (P): the nearest earlier study of this kind, from any hospital, beside this one</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../widgets/reading_view.py" line="190"/>
        <source>MPR once every image of the series is here</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../widgets/reading_view.py" line="193"/>
        <source>MPR needs a grey-scale stack of several slices placed in the patient</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../widgets/reading_view.py" line="369"/>
        <source>⚠ Different patients in this layout: %1</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>SearchPanel</name>
    <message>
        <location filename="../../widgets/search_panel.py" line="51"/>
        <source>Patient ID</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../widgets/search_panel.py" line="53"/>
        <source>any registry</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../widgets/search_panel.py" line="57"/>
        <source>Which registry issued the patient ID (IssuerOfPatientID)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../widgets/search_panel.py" line="59"/>
        <source>Name: Wang XiaoDong or 王小东</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../widgets/search_panel.py" line="60"/>
        <source>Birth date YYYYMMDD</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../widgets/search_panel.py" line="63"/>
        <source>any sex</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../widgets/search_panel.py" line="64"/>
        <source>male</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../widgets/search_panel.py" line="65"/>
        <source>female</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../widgets/search_panel.py" line="66"/>
        <source>other</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../widgets/search_panel.py" line="70"/>
        <source>any modality</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../widgets/search_panel.py" line="73"/>
        <source>Studies from YYYYMMDD</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../widgets/search_panel.py" line="74"/>
        <source>to YYYYMMDD</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../widgets/search_panel.py" line="75"/>
        <source>Accession number</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../widgets/search_panel.py" line="92"/>
        <source>Search</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../widgets/search_panel.py" line="94"/>
        <source>Search every source (Enter)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../widgets/search_panel.py" line="96"/>
        <source>Cancel</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../widgets/search_panel.py" line="97"/>
        <source>Stop the search (Esc)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../widgets/search_panel.py" line="176"/>
        <source>Searching every source…</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>SeriesPanel</name>
    <message>
        <location filename="../../widgets/series_view.py" line="76"/>
        <source>Asking for the series…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../widgets/series_view.py" line="202"/>
        <source>No series known: no source could be asked, and the offline cache holds none of this study.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../widgets/series_view.py" line="206"/>
        <source>The source lists no series for this study.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../widgets/series_view.py" line="209"/>
        <source>From the offline cache: no source could be asked.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../widgets/series_view.py" line="212"/>
        <source>%1 more image(s) in series the cache holds nothing of yet.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>SeriesTile</name>
    <message>
        <location filename="../../widgets/series_tile.py" line="72"/>
        <source>%1 · series %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../widgets/series_tile.py" line="76"/>
        <source>(no description)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../widgets/series_tile.py" line="80"/>
        <source>%1 image(s)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../widgets/series_tile.py" line="112"/>
        <source>cached</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../widgets/series_tile.py" line="113"/>
        <source>partial %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../widgets/series_tile.py" line="114"/>
        <source>↓ %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../widgets/series_tile.py" line="115"/>
        <source>queued %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../widgets/series_tile.py" line="116"/>
        <source>failed %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../widgets/series_tile.py" line="117"/>
        <source>not cached</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../widgets/series_tile.py" line="164"/>
        <source>Double-click: read this series</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../widgets/series_tile.py" line="112"/>
        <source>In the offline cache</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../widgets/series_tile.py" line="113"/>
        <source>Partly in the offline cache: %1 images</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../widgets/series_tile.py" line="114"/>
        <source>Downloading: %1 images cached</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../widgets/series_tile.py" line="115"/>
        <source>Waiting to download: %1 images cached</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../widgets/series_tile.py" line="116"/>
        <source>Download failed: %1 images cached</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../widgets/series_tile.py" line="117"/>
        <source>Not in the offline cache</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../widgets/series_tile.py" line="160"/>
        <source>No thumbnail: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../widgets/series_tile.py" line="162"/>
        <source>Double-click: fetch this series first</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>SourceProblem</name>
    <message>
        <location filename="../../widgets/problem_words.py" line="22"/>
        <source>no system keyring to read the password from</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../widgets/problem_words.py" line="25"/>
        <source>not signed in</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../widgets/problem_words.py" line="26"/>
        <source>sign-in refused</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../widgets/problem_words.py" line="28"/>
        <source>certificate not trusted</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../widgets/problem_words.py" line="29"/>
        <source>server error</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../widgets/problem_words.py" line="30"/>
        <source>cannot be reached</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../widgets/problem_words.py" line="31"/>
        <source>search failed</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>SourceRow</name>
    <message>
        <location filename="../../widgets/sources_dock.py" line="64"/>
        <source>Sign in…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../widgets/sources_dock.py" line="68"/>
        <source>Sign out</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>SsoDialog</name>
    <message>
        <location filename="../../widgets/sso_dialog.py" line="52"/>
        <source>Sign in — %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../widgets/sso_dialog.py" line="57"/>
        <source>Sign in to %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../widgets/sso_dialog.py" line="59"/>
        <source>through %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../widgets/sso_dialog.py" line="67"/>
        <source>Cancel</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>SsoPanel</name>
    <message>
        <location filename="../../widgets/sso_dialog.py" line="112"/>
        <source>Sign in with the browser</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../widgets/sso_dialog.py" line="115"/>
        <source>Sign in on another device…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../widgets/sso_dialog.py" line="163"/>
        <source>Opening the sign-in page of %1 in the browser…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../widgets/sso_dialog.py" line="172"/>
        <source>Asking %1 for a code…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../widgets/sso_dialog.py" line="188"/>
        <source>Finish signing in on the page of %1 in the browser. If no browser opened, open this link:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../widgets/sso_dialog.py" line="196"/>
        <source>On a phone or another computer, open %2 and enter this code:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../widgets/sso_dialog.py" line="236"/>
        <source>The sign-in did not complete: %1</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>StudyCard</name>
    <message>
        <location filename="../../widgets/study_card.py" line="57"/>
        <source>Double-click: read this study</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../widgets/study_card.py" line="70"/>
        <source>(no description)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../widgets/study_card.py" line="74"/>
        <location filename="../../widgets/study_card.py" line="295"/>
        <source>institution unknown</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../widgets/study_card.py" line="81"/>
        <source>Sources:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../widgets/study_card.py" line="129"/>
        <source>Series (%1)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../widgets/study_card.py" line="131"/>
        <source>Series</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../widgets/study_card.py" line="154"/>
        <source>Show the series: a thumbnail and the offline cache state of each</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../widgets/study_card.py" line="158"/>
        <source>Download</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../widgets/study_card.py" line="161"/>
        <source>Fetch this study into the offline cache (only what is still missing)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../widgets/study_card.py" line="168"/>
        <source>Cancel</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../widgets/study_card.py" line="170"/>
        <source>Sign in…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../widgets/study_card.py" line="219"/>
        <source>Download cancelled; what arrived stays cached.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../widgets/study_card.py" line="223"/>
        <source>What arrived stays cached: download again to resume.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../widgets/study_card.py" line="230"/>
        <source>Downloaded %1 image(s), %2 MB</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../widgets/study_card.py" line="238"/>
        <source>%1 image(s) could not be fetched: download again to resume.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../widgets/study_card.py" line="253"/>
        <source>Waiting to download…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../widgets/study_card.py" line="255"/>
        <source>Asking what the study holds…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../widgets/study_card.py" line="257"/>
        <source>Downloading: %1/%2 images · %3 MB</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../widgets/study_card.py" line="265"/>
        <source>cached offline</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../widgets/study_card.py" line="266"/>
        <source>partly cached</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../widgets/study_card.py" line="267"/>
        <source>not cached</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../widgets/study_card.py" line="275"/>
        <source>%1 series</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../widgets/study_card.py" line="277"/>
        <source>%1 image(s)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../widgets/study_card.py" line="279"/>
        <source>Acc. %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../widgets/study_card.py" line="292"/>
        <source>%1 on %2 at %3 (%4 days apart)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../widgets/study_card.py" line="299"/>
        <source>⚠ Recent similar exam: %1. Look at it before repeating the exam.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../widgets/study_card.py" line="300"/>
        <source>another study</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ThumbnailPlaceholder</name>
    <message>
        <location filename="../../widgets/thumbnail_placeholder.py" line="66"/>
        <source>Cannot show image</source>
        <translation type="unfinished"></translation>
    </message>
</context>
</TS>
