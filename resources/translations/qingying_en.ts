<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en_US">
<context>
    <name>MainWindow</name>
    <message>
        <location filename="../../widgets/main_window.py" line="27"/>
        <source>Qingying — imaging history</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../widgets/main_window.py" line="43"/>
        <source>Search for a patient to see their imaging history from every hospital.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../widgets/main_window.py" line="53"/>
        <source>Sources</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../widgets/main_window.py" line="62"/>
        <source>No source configured</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../widgets/main_window.py" line="68"/>
        <source>Authentication: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../widgets/main_window.py" line="70"/>
        <source>User: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../widgets/main_window.py" line="72"/>
        <source>Patient ID issuer: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../widgets/main_window.py" line="76"/>
        <source>&amp;File</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../widgets/main_window.py" line="77"/>
        <source>&amp;Quit</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../widgets/main_window.py" line="81"/>
        <source>&amp;Help</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../widgets/main_window.py" line="82"/>
        <source>&amp;About Qingying</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../widgets/main_window.py" line="88"/>
        <source>built-in defaults</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../widgets/main_window.py" line="90"/>
        <source>%1 source(s) configured · configuration: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../widgets/main_window.py" line="98"/>
        <source>About Qingying</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../widgets/main_window.py" line="100"/>
        <source>&lt;b&gt;轻影 Qingying&lt;/b&gt; %1&lt;br&gt;A viewer for a regional imaging platform: one patient&apos;s studies from every hospital, so that films are no longer carried and exams not repeated.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
</TS>
