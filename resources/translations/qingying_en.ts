<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en_US">
<context>
    <name>HistoryView</name>
    <message>
        <location filename="../../widgets/history_view.py" line="168"/>
        <source>No source could be searched.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../widgets/history_view.py" line="170"/>
        <source>No studies match this search.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../widgets/history_view.py" line="177"/>
        <source>%1 different patients match this search. Each is shown on its own: check the identity before reading.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../widgets/history_view.py" line="218"/>
        <source>Sign in…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../widgets/history_view.py" line="222"/>
        <source>%1 was not searched; the results below come from the other sources.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../widgets/history_view.py" line="241"/>
        <source>Possible same patient — confirm</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../widgets/history_view.py" line="247"/>
        <source>Patient %1: %2 · %3 · born %4</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../widgets/history_view.py" line="259"/>
        <source>Same name and birth date, but no registry links these IDs. They stay apart until you confirm that they are one person.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../widgets/history_view.py" line="268"/>
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
        <location filename="../../widgets/main_window.py" line="103"/>
        <source>Qingying — imaging history</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../widgets/main_window.py" line="141"/>
        <source>Search for a patient to see their imaging history from every hospital.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../widgets/main_window.py" line="146"/>
        <source>Ctrl+F search · Enter run · Esc cancel</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../widgets/main_window.py" line="155"/>
        <source>Sources</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../widgets/main_window.py" line="172"/>
        <source>No source configured</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../widgets/main_window.py" line="180"/>
        <source>Authentication: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../widgets/main_window.py" line="182"/>
        <source>User: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../widgets/main_window.py" line="184"/>
        <source>Patient ID issuer: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../widgets/main_window.py" line="188"/>
        <source>&amp;File</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../widgets/main_window.py" line="189"/>
        <source>&amp;Find patient</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../widgets/main_window.py" line="194"/>
        <source>&amp;Quit</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../widgets/main_window.py" line="198"/>
        <source>&amp;Help</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../widgets/main_window.py" line="199"/>
        <source>&amp;About Qingying</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../widgets/main_window.py" line="210"/>
        <source>built-in defaults</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../widgets/main_window.py" line="212"/>
        <source>%1 source(s) configured · configuration: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../widgets/main_window.py" line="227"/>
        <source>no sign-in needed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../widgets/main_window.py" line="229"/>
        <source>OIDC sign-in is not supported yet</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../widgets/main_window.py" line="232"/>
        <source>signed in as %1 (this session)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../widgets/main_window.py" line="236"/>
        <source>signed in as %1 (remembered)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../widgets/main_window.py" line="238"/>
        <source>not signed in (no system keyring)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../widgets/main_window.py" line="239"/>
        <source>not signed in</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../widgets/main_window.py" line="268"/>
        <source>Signed in to %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../widgets/main_window.py" line="326"/>
        <source>Cancelling…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../widgets/main_window.py" line="338"/>
        <source>%1 patient(s), %2 studies · %3 of %4 sources answered</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../widgets/main_window.py" line="360"/>
        <source>Search cancelled</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../widgets/main_window.py" line="376"/>
        <source>About Qingying</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../widgets/main_window.py" line="378"/>
        <source>&lt;b&gt;轻影 Qingying&lt;/b&gt; %1&lt;br&gt;A viewer for a regional imaging platform: one patient&apos;s studies from every hospital, so that films are no longer carried and exams not repeated.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>PatientSection</name>
    <message>
        <location filename="../../widgets/history_view.py" line="303"/>
        <source>Patient %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../widgets/history_view.py" line="313"/>
        <source>⚠ %1 recent similar exams</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../widgets/history_view.py" line="319"/>
        <source>male</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../widgets/history_view.py" line="319"/>
        <source>female</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../widgets/history_view.py" line="319"/>
        <source>other</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../widgets/history_view.py" line="320"/>
        <source>sex unknown</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../widgets/history_view.py" line="323"/>
        <source>ID %1 · issuer %2 · born %3 · %4</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../widgets/history_view.py" line="325"/>
        <location filename="../../widgets/history_view.py" line="326"/>
        <source>unknown</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../widgets/history_view.py" line="337"/>
        <source>Also known as: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../widgets/history_view.py" line="346"/>
        <source>%1 studies · %2 institutions</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../widgets/history_view.py" line="362"/>
        <source>no date</source>
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
    <name>SourceProblem</name>
    <message>
        <location filename="../../widgets/history_view.py" line="84"/>
        <source>no system keyring to read the password from</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../widgets/history_view.py" line="89"/>
        <source>not signed in</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../widgets/history_view.py" line="90"/>
        <source>sign-in refused</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../widgets/history_view.py" line="92"/>
        <source>certificate not trusted</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../widgets/history_view.py" line="94"/>
        <source>server error</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../widgets/history_view.py" line="96"/>
        <source>cannot be reached</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../widgets/history_view.py" line="98"/>
        <source>search failed</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>SourceRow</name>
    <message>
        <location filename="../../widgets/main_window.py" line="74"/>
        <source>Sign in…</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>StudyCard</name>
    <message>
        <location filename="../../widgets/history_view.py" line="401"/>
        <source>(no description)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../widgets/history_view.py" line="404"/>
        <location filename="../../widgets/history_view.py" line="462"/>
        <source>institution unknown</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../widgets/history_view.py" line="410"/>
        <source>Sources:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../widgets/history_view.py" line="432"/>
        <source>cached offline</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../widgets/history_view.py" line="433"/>
        <source>partly cached</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../widgets/history_view.py" line="434"/>
        <source>not cached</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../widgets/history_view.py" line="442"/>
        <source>%1 series</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../widgets/history_view.py" line="444"/>
        <source>%1 image(s)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../widgets/history_view.py" line="446"/>
        <source>Acc. %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../widgets/history_view.py" line="459"/>
        <source>%1 on %2 at %3 (%4 days apart)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../widgets/history_view.py" line="466"/>
        <source>⚠ Recent similar exam: %1. Look at it before repeating the exam.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../widgets/history_view.py" line="467"/>
        <source>another study</source>
        <translation type="unfinished"></translation>
    </message>
</context>
</TS>
