<?xml version='1.0' encoding='utf-8'?>
<TS version="2.1" language="zh_CN">
<context>
    <name>MainWindow</name>
    <message>
        <location filename="../../widgets/main_window.py" line="27" />
        <source>Qingying — imaging history</source>
        <translation>轻影 — 影像历史</translation>
    </message>
    <message>
        <location filename="../../widgets/main_window.py" line="43" />
        <source>Search for a patient to see their imaging history from every hospital.</source>
        <translation>检索患者，查看其在各医院的全部影像历史。</translation>
    </message>
    <message>
        <location filename="../../widgets/main_window.py" line="53" />
        <source>Sources</source>
        <translation>数据源</translation>
    </message>
    <message>
        <location filename="../../widgets/main_window.py" line="62" />
        <source>No source configured</source>
        <translation>尚未配置数据源</translation>
    </message>
    <message>
        <location filename="../../widgets/main_window.py" line="68" />
        <source>Authentication: %1</source>
        <translation>认证方式：%1</translation>
    </message>
    <message>
        <location filename="../../widgets/main_window.py" line="70" />
        <source>User: %1</source>
        <translation>用户：%1</translation>
    </message>
    <message>
        <location filename="../../widgets/main_window.py" line="72" />
        <source>Patient ID issuer: %1</source>
        <translation>患者ID签发机构：%1</translation>
    </message>
    <message>
        <location filename="../../widgets/main_window.py" line="76" />
        <source>&amp;File</source>
        <translation>文件(&amp;F)</translation>
    </message>
    <message>
        <location filename="../../widgets/main_window.py" line="77" />
        <source>&amp;Quit</source>
        <translation>退出(&amp;Q)</translation>
    </message>
    <message>
        <location filename="../../widgets/main_window.py" line="81" />
        <source>&amp;Help</source>
        <translation>帮助(&amp;H)</translation>
    </message>
    <message>
        <location filename="../../widgets/main_window.py" line="82" />
        <source>&amp;About Qingying</source>
        <translation>关于轻影(&amp;A)</translation>
    </message>
    <message>
        <location filename="../../widgets/main_window.py" line="88" />
        <source>built-in defaults</source>
        <translation>内置默认值</translation>
    </message>
    <message>
        <location filename="../../widgets/main_window.py" line="90" />
        <source>%1 source(s) configured · configuration: %2</source>
        <translation>已配置 %1 个数据源 · 配置文件：%2</translation>
    </message>
    <message>
        <location filename="../../widgets/main_window.py" line="98" />
        <source>About Qingying</source>
        <translation>关于轻影</translation>
    </message>
    <message>
        <location filename="../../widgets/main_window.py" line="100" />
        <source>&lt;b&gt;轻影 Qingying&lt;/b&gt; %1&lt;br&gt;A viewer for a regional imaging platform: one patient's studies from every hospital, so that films are no longer carried and exams not repeated.</source>
        <translation>&lt;b&gt;轻影 Qingying&lt;/b&gt; %1&lt;br&gt;区域影像平台阅片客户端：汇集患者在各医院的检查，免去携带胶片，避免重复检查。</translation>
    </message>
</context>
</TS>