<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en_US">
<context>
    <name>CacheDialog</name>
    <message>
        <location filename="../../widgets/cache_dialog.py" line="73"/>
        <location filename="../../widgets/cache_dialog.py" line="83"/>
        <source>Offline cache</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../widgets/cache_dialog.py" line="101"/>
        <source>Location:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../widgets/cache_dialog.py" line="107"/>
        <source>Open folder</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../widgets/cache_dialog.py" line="126"/>
        <source>Study date</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../widgets/cache_dialog.py" line="127"/>
        <source>Patient</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../widgets/cache_dialog.py" line="128"/>
        <source>Patient ID</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../widgets/cache_dialog.py" line="129"/>
        <source>Modalities</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../widgets/cache_dialog.py" line="130"/>
        <source>State</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../widgets/cache_dialog.py" line="131"/>
        <source>Size</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../widgets/cache_dialog.py" line="132"/>
        <source>Pinned</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../widgets/cache_dialog.py" line="133"/>
        <source>Last used</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../widgets/cache_dialog.py" line="152"/>
        <source>Remove selected</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../widgets/cache_dialog.py" line="154"/>
        <source>Free space</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../widgets/cache_dialog.py" line="157"/>
        <source>Remove the least recently used studies until the cache fits its maximum size; pinned and open studies are kept</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../widgets/cache_dialog.py" line="162"/>
        <source>Verify</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../widgets/cache_dialog.py" line="164"/>
        <source>Check every cached file; damaged ones are removed so they are fetched again</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../widgets/cache_dialog.py" line="167"/>
        <source>Import folder or CD…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../widgets/cache_dialog.py" line="169"/>
        <source>Export study…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../widgets/cache_dialog.py" line="180"/>
        <source>Cancel</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../widgets/cache_dialog.py" line="184"/>
        <source>Close</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../widgets/cache_dialog.py" line="207"/>
        <source>%1 used of %2 · %3 studies</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../widgets/cache_dialog.py" line="256"/>
        <source>Pinned studies are never removed to free space</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../widgets/cache_dialog.py" line="263"/>
        <source>complete</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../widgets/cache_dialog.py" line="267"/>
        <source>partial (%1 of %2 images)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../widgets/cache_dialog.py" line="271"/>
        <source>partial</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../widgets/cache_dialog.py" line="273"/>
        <source>empty</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../widgets/cache_dialog.py" line="340"/>
        <source>Remove from the offline cache</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../widgets/cache_dialog.py" line="342"/>
        <source>Remove %1 stud(ies) from the offline cache? They can be downloaded again while a source is reachable.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../widgets/cache_dialog.py" line="366"/>
        <source>Removed %1 stud(ies).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../widgets/cache_dialog.py" line="368"/>
        <source>Not removed: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../widgets/cache_dialog.py" line="388"/>
        <source>Freed %1 by removing %2 least recently used stud(ies).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../widgets/cache_dialog.py" line="393"/>
        <source>Nothing removed: the cache is within its maximum size (%1).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../widgets/cache_dialog.py" line="398"/>
        <source>%1 pinned</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../widgets/cache_dialog.py" line="400"/>
        <source>%1 open</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../widgets/cache_dialog.py" line="402"/>
        <source>Kept: %1.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../widgets/cache_dialog.py" line="405"/>
        <source>Still over the maximum size: unpin studies or remove them by hand.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../widgets/cache_dialog.py" line="417"/>
        <source>Verified %1 file(s): all intact.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../widgets/cache_dialog.py" line="421"/>
        <source>Verified %1 file(s): %2 damaged, removed so that they are fetched again:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../widgets/cache_dialog.py" line="427"/>
        <source>… and %1 more</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../widgets/cache_dialog.py" line="437"/>
        <source>Verify cancelled after %1 of %2 file(s).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../widgets/cache_dialog.py" line="443"/>
        <source>%1 damaged file(s) found until then were removed so that they are fetched again.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../widgets/cache_dialog.py" line="460"/>
        <source>Verifying: %1 of %2 file(s)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../widgets/cache_dialog.py" line="467"/>
        <source>Import a folder or a patient&apos;s CD (DICOMDIR)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../widgets/cache_dialog.py" line="479"/>
        <source>Imported %1 image(s) of %2 stud(ies) from %3.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../widgets/cache_dialog.py" line="486"/>
        <source>Skipped %1 file(s): %2 not DICOM, %3 unreadable.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../widgets/cache_dialog.py" line="501"/>
        <source>Import cancelled after %1 of %2 file(s): the %3 image(s) imported until then are kept. Import the same folder again to bring the rest.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../widgets/cache_dialog.py" line="523"/>
        <source>Importing: %1 of %2 file(s), %3 image(s) imported</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../widgets/cache_dialog.py" line="533"/>
        <source>Export the study to a folder</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../widgets/cache_dialog.py" line="543"/>
        <source>Exported %1 file(s) to %2.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../widgets/cache_dialog.py" line="579"/>
        <source>Cancelling…</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Download</name>
    <message>
        <location filename="../../widgets/download.py" line="86"/>
        <source>no system keyring to read the password from</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../widgets/download.py" line="88"/>
        <source>not signed in</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../widgets/download.py" line="90"/>
        <source>sign-in refused</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../widgets/download.py" line="92"/>
        <source>the disk is full</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../widgets/download.py" line="94"/>
        <source>certificate not trusted</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../widgets/download.py" line="96"/>
        <source>server error</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../widgets/download.py" line="98"/>
        <source>the link failed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../widgets/download.py" line="100"/>
        <source>download failed</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>HistoryView</name>
    <message>
        <location filename="../../widgets/history_view.py" line="161"/>
        <source>Offline: no source could be reached — showing studies from the offline cache</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../widgets/history_view.py" line="176"/>
        <source>No source could be searched.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../widgets/history_view.py" line="178"/>
        <source>No studies match this search.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../widgets/history_view.py" line="185"/>
        <source>%1 different patients match this search. Each is shown on its own: check the identity before reading.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../widgets/history_view.py" line="283"/>
        <source>Sign in…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../widgets/history_view.py" line="287"/>
        <source>%1 was not searched; the results below come from the other sources.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../widgets/history_view.py" line="306"/>
        <source>Possible same patient — confirm</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../widgets/history_view.py" line="312"/>
        <source>Patient %1: %2 · %3 · born %4</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../widgets/history_view.py" line="324"/>
        <source>Same name and birth date, but no registry links these IDs. They stay apart until you confirm that they are one person.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../widgets/history_view.py" line="333"/>
        <source>Confirm: same patient</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>LoginDialog</name>
    <message>
        <location filename="../../widgets/login_dialog.py" line="68"/>
        <source>Sign in — %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../widgets/login_dialog.py" line="77"/>
        <source>Sign in to %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../widgets/login_dialog.py" line="95"/>
        <source>Remember the password in the system keyring</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../widgets/login_dialog.py" line="97"/>
        <source>Username</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../widgets/login_dialog.py" line="98"/>
        <source>Password</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../widgets/login_dialog.py" line="110"/>
        <source>Checking the password with %1…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../widgets/login_dialog.py" line="126"/>
        <source>Sign in</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../widgets/login_dialog.py" line="130"/>
        <source>Cancel</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../widgets/login_dialog.py" line="143"/>
        <source>Enter a username.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../widgets/login_dialog.py" line="198"/>
        <source>The server accepted the password, but it cannot be remembered: no system keyring is available. Untick “Remember” to sign in for this session only.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../widgets/login_dialog.py" line="205"/>
        <source>Wrong username or password.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../widgets/login_dialog.py" line="210"/>
        <source>The certificate of %1 is not trusted, so the password was not sent. Ask IT for the site&apos;s CA bundle (ca_bundle in the configuration).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../widgets/login_dialog.py" line="218"/>
        <source>%1 answered with an error. Try again later or call IT.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../widgets/login_dialog.py" line="227"/>
        <source>Cannot reach %1. Check the network connection; the server may be down.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../widgets/login_dialog.py" line="231"/>
        <source>Sign-in failed.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <location filename="../../widgets/main_window.py" line="138"/>
        <source>Qingying — imaging history</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../widgets/main_window.py" line="190"/>
        <source>Search for a patient to see their imaging history from every hospital.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../widgets/main_window.py" line="195"/>
        <source>Ctrl+F search · Enter run · Esc cancel</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../widgets/main_window.py" line="204"/>
        <source>Sources</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../widgets/main_window.py" line="221"/>
        <source>No source configured</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../widgets/main_window.py" line="225"/>
        <source>Offline cache…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../widgets/main_window.py" line="233"/>
        <source>Authentication: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../widgets/main_window.py" line="235"/>
        <source>User: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../widgets/main_window.py" line="237"/>
        <source>Patient ID issuer: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../widgets/main_window.py" line="241"/>
        <source>&amp;File</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../widgets/main_window.py" line="242"/>
        <source>&amp;Find patient</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../widgets/main_window.py" line="246"/>
        <source>Offline &amp;cache…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../widgets/main_window.py" line="249"/>
        <source>&amp;Prefetch worklist…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../widgets/main_window.py" line="251"/>
        <source>Bring a clinic worklist&apos;s patients&apos; recent studies into the offline cache</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../widgets/main_window.py" line="256"/>
        <source>&amp;Quit</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../widgets/main_window.py" line="260"/>
        <source>&amp;Help</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../widgets/main_window.py" line="261"/>
        <source>&amp;About Qingying</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../widgets/main_window.py" line="278"/>
        <source>Show the prefetch</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../widgets/main_window.py" line="289"/>
        <source>built-in defaults</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../widgets/main_window.py" line="291"/>
        <source>%1 source(s) configured · configuration: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../widgets/main_window.py" line="306"/>
        <source>no sign-in needed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../widgets/main_window.py" line="308"/>
        <source>OIDC sign-in is not supported yet</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../widgets/main_window.py" line="311"/>
        <source>signed in as %1 (this session)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../widgets/main_window.py" line="315"/>
        <source>signed in as %1 (remembered)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../widgets/main_window.py" line="317"/>
        <source>not signed in (no system keyring)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../widgets/main_window.py" line="318"/>
        <source>not signed in</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../widgets/main_window.py" line="347"/>
        <source>Signed in to %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../widgets/main_window.py" line="412"/>
        <source>Cancelling…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../widgets/main_window.py" line="433"/>
        <source>%1 patient(s), %2 studies · %3 of %4 sources answered</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../widgets/main_window.py" line="440"/>
        <source>offline: from the cache</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../widgets/main_window.py" line="457"/>
        <source>Search cancelled</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../widgets/main_window.py" line="475"/>
        <source>This series is in the offline cache.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../widgets/main_window.py" line="479"/>
        <source>Fetching this series first.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../widgets/main_window.py" line="486"/>
        <source>The offline cache cannot be used: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../widgets/main_window.py" line="494"/>
        <source>No source that holds this study can be asked now: search again.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../widgets/main_window.py" line="527"/>
        <source>Study downloaded to the offline cache</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../widgets/main_window.py" line="554"/>
        <source>%1 download(s): %2/%3 images, %4 MB</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../widgets/main_window.py" line="580"/>
        <source>The series could not be listed: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../widgets/main_window.py" line="614"/>
        <source>Choose a clinic worklist</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../widgets/main_window.py" line="616"/>
        <source>Worklists (*.txt *.csv);;All files (*)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../widgets/main_window.py" line="662"/>
        <source>Prefetch finished</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../widgets/main_window.py" line="697"/>
        <source>About Qingying</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../widgets/main_window.py" line="699"/>
        <source>&lt;b&gt;轻影 Qingying&lt;/b&gt; %1&lt;br&gt;A viewer for a regional imaging platform: one patient&apos;s studies from every hospital, so that films are no longer carried and exams not repeated.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>PatientSection</name>
    <message>
        <location filename="../../widgets/history_view.py" line="368"/>
        <source>Patient %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../widgets/history_view.py" line="378"/>
        <source>⚠ %1 recent similar exams</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../widgets/history_view.py" line="384"/>
        <source>male</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../widgets/history_view.py" line="384"/>
        <source>female</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../widgets/history_view.py" line="384"/>
        <source>other</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../widgets/history_view.py" line="385"/>
        <source>sex unknown</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../widgets/history_view.py" line="388"/>
        <source>ID %1 · issuer %2 · born %3 · %4</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../widgets/history_view.py" line="390"/>
        <location filename="../../widgets/history_view.py" line="391"/>
        <source>unknown</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../widgets/history_view.py" line="402"/>
        <source>Also known as: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../widgets/history_view.py" line="411"/>
        <source>%1 studies · %2 institutions</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../widgets/history_view.py" line="427"/>
        <source>no date</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>PrefetchDialog</name>
    <message>
        <location filename="../../widgets/prefetch_dialog.py" line="68"/>
        <location filename="../../widgets/prefetch_dialog.py" line="85"/>
        <source>Prefetch worklist</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../widgets/prefetch_dialog.py" line="91"/>
        <source>Brings each worklist patient&apos;s recent studies into the offline cache, so that the clinic can read them with a poor connection or none.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../widgets/prefetch_dialog.py" line="122"/>
        <source>Cancel</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../widgets/prefetch_dialog.py" line="125"/>
        <source>Close</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../widgets/prefetch_dialog.py" line="173"/>
        <source>Worklist: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../widgets/prefetch_dialog.py" line="174"/>
        <source>Reading the worklist…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../widgets/prefetch_dialog.py" line="190"/>
        <source>Cancelling…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../widgets/prefetch_dialog.py" line="204"/>
        <source>Prefetch: reading the worklist…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../widgets/prefetch_dialog.py" line="206"/>
        <source>Prefetch: patient %1 of %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../widgets/prefetch_dialog.py" line="225"/>
        <location filename="../../widgets/prefetch_dialog.py" line="275"/>
        <source>%1 patient(s) done</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../widgets/prefetch_dialog.py" line="231"/>
        <source>Patient %1 of %2 (worklist line %3)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../widgets/prefetch_dialog.py" line="238"/>
        <source>Searching for the patient&apos;s studies…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../widgets/prefetch_dialog.py" line="241"/>
        <source>no date</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../widgets/prefetch_dialog.py" line="243"/>
        <source>Study of %1: asking what it holds…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../widgets/prefetch_dialog.py" line="247"/>
        <source>Study of %1: %2/%3 images · %4 MB</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../widgets/prefetch_dialog.py" line="285"/>
        <source>Prefetch cancelled after %1 of %2 patient(s). What arrived stays cached: run it again to resume.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../widgets/prefetch_dialog.py" line="295"/>
        <source>Prefetch failed: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../widgets/prefetch_dialog.py" line="304"/>
        <source>No patient of this worklist is due from today to %1 day(s) ahead: nothing to fetch.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../widgets/prefetch_dialog.py" line="312"/>
        <source>Prefetch finished: %1 patient(s), %2 stud(ies) selected: %3 already cached, %4 fetched (%5 images, %6 MB), %7 failed, %8 patient(s) not found.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../widgets/prefetch_dialog.py" line="326"/>
        <source>Run it again to fetch what is missing.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../widgets/prefetch_dialog.py" line="328"/>
        <source>Not fetched: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../widgets/prefetch_dialog.py" line="329"/>
        <source>Source problem: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../widgets/prefetch_dialog.py" line="332"/>
        <source>Worklist line %1: no study found</source>
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
        <location filename="../../widgets/search_panel.py" line="157"/>
        <source>Searching every source…</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>SeriesPanel</name>
    <message>
        <location filename="../../widgets/series_view.py" line="250"/>
        <source>Asking for the series…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../widgets/series_view.py" line="371"/>
        <source>No series known: no source could be asked, and the offline cache holds none of this study.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../widgets/series_view.py" line="375"/>
        <source>The source lists no series for this study.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../widgets/series_view.py" line="378"/>
        <source>From the offline cache: no source could be asked.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../widgets/series_view.py" line="381"/>
        <source>%1 more image(s) in series the cache holds nothing of yet.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>SeriesTile</name>
    <message>
        <location filename="../../widgets/series_view.py" line="119"/>
        <source>%1 · series %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../widgets/series_view.py" line="123"/>
        <source>(no description)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../widgets/series_view.py" line="127"/>
        <source>%1 image(s)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../widgets/series_view.py" line="160"/>
        <source>cached</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../widgets/series_view.py" line="162"/>
        <source>partial %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../widgets/series_view.py" line="164"/>
        <source>↓ %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../widgets/series_view.py" line="166"/>
        <source>queued %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../widgets/series_view.py" line="168"/>
        <source>failed %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../widgets/series_view.py" line="169"/>
        <source>not cached</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../widgets/series_view.py" line="175"/>
        <source>In the offline cache</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../widgets/series_view.py" line="177"/>
        <source>Partly in the offline cache: %1 images</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../widgets/series_view.py" line="179"/>
        <source>Downloading: %1 images cached</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../widgets/series_view.py" line="181"/>
        <source>Waiting to download: %1 images cached</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../widgets/series_view.py" line="183"/>
        <source>Download failed: %1 images cached</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../widgets/series_view.py" line="184"/>
        <source>Not in the offline cache</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../widgets/series_view.py" line="210"/>
        <source>No thumbnail: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../widgets/series_view.py" line="212"/>
        <source>Double-click: fetch this series first</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>SourceProblem</name>
    <message>
        <location filename="../../widgets/history_view.py" line="75"/>
        <source>no system keyring to read the password from</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../widgets/history_view.py" line="79"/>
        <source>not signed in</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../widgets/history_view.py" line="81"/>
        <source>sign-in refused</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../widgets/history_view.py" line="83"/>
        <source>certificate not trusted</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../widgets/history_view.py" line="85"/>
        <source>server error</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../widgets/history_view.py" line="87"/>
        <source>cannot be reached</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../widgets/history_view.py" line="89"/>
        <source>search failed</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>SourceRow</name>
    <message>
        <location filename="../../widgets/main_window.py" line="91"/>
        <source>Sign in…</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>StudyCard</name>
    <message>
        <location filename="../../widgets/history_view.py" line="477"/>
        <source>(no description)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../widgets/history_view.py" line="480"/>
        <location filename="../../widgets/history_view.py" line="694"/>
        <source>institution unknown</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../widgets/history_view.py" line="486"/>
        <source>Sources:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../widgets/history_view.py" line="534"/>
        <source>Series (%1)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../widgets/history_view.py" line="536"/>
        <source>Series</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../widgets/history_view.py" line="553"/>
        <source>Show the series: a thumbnail and the offline cache state of each</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../widgets/history_view.py" line="557"/>
        <source>Download</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../widgets/history_view.py" line="560"/>
        <source>Fetch this study into the offline cache (only what is still missing)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../widgets/history_view.py" line="567"/>
        <source>Cancel</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../widgets/history_view.py" line="569"/>
        <source>Sign in…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../widgets/history_view.py" line="618"/>
        <source>Download cancelled; what arrived stays cached.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../widgets/history_view.py" line="622"/>
        <source>What arrived stays cached: download again to resume.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../widgets/history_view.py" line="629"/>
        <source>Downloaded %1 image(s), %2 MB</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../widgets/history_view.py" line="637"/>
        <source>%1 image(s) could not be fetched: download again to resume.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../widgets/history_view.py" line="652"/>
        <source>Waiting to download…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../widgets/history_view.py" line="654"/>
        <source>Asking what the study holds…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../widgets/history_view.py" line="656"/>
        <source>Downloading: %1/%2 images · %3 MB</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../widgets/history_view.py" line="664"/>
        <source>cached offline</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../widgets/history_view.py" line="665"/>
        <source>partly cached</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../widgets/history_view.py" line="666"/>
        <source>not cached</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../widgets/history_view.py" line="674"/>
        <source>%1 series</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../widgets/history_view.py" line="676"/>
        <source>%1 image(s)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../widgets/history_view.py" line="678"/>
        <source>Acc. %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../widgets/history_view.py" line="691"/>
        <source>%1 on %2 at %3 (%4 days apart)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../widgets/history_view.py" line="698"/>
        <source>⚠ Recent similar exam: %1. Look at it before repeating the exam.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../widgets/history_view.py" line="699"/>
        <source>another study</source>
        <translation type="unfinished"></translation>
    </message>
</context>
</TS>
