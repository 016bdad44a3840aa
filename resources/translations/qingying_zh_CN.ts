<?xml version='1.0' encoding='utf-8'?>
<TS version="2.1" language="zh_CN">
<context>
    <name>HistoryView</name>
    <message>
        <location filename="../../widgets/history_view.py" line="168" />
        <source>No source could be searched.</source>
        <translation>没有可检索的数据源。</translation>
    </message>
    <message>
        <location filename="../../widgets/history_view.py" line="170" />
        <source>No studies match this search.</source>
        <translation>没有符合条件的检查。</translation>
    </message>
    <message>
        <location filename="../../widgets/history_view.py" line="177" />
        <source>%1 different patients match this search. Each is shown on its own: check the identity before reading.</source>
        <translation>有 %1 位不同的患者符合条件，分别列出：阅片前请核对身份。</translation>
    </message>
    <message>
        <location filename="../../widgets/history_view.py" line="218" />
        <source>Sign in…</source>
        <translation>登录…</translation>
    </message>
    <message>
        <location filename="../../widgets/history_view.py" line="222" />
        <source>%1 was not searched; the results below come from the other sources.</source>
        <translation>未能检索 %1；以下结果来自其他数据源。</translation>
    </message>
    <message>
        <location filename="../../widgets/history_view.py" line="241" />
        <source>Possible same patient — confirm</source>
        <translation>可能为同一患者 — 请确认</translation>
    </message>
    <message>
        <location filename="../../widgets/history_view.py" line="247" />
        <source>Patient %1: %2 · %3 · born %4</source>
        <translation>患者 %1：%2 · %3 · 出生 %4</translation>
    </message>
    <message>
        <location filename="../../widgets/history_view.py" line="259" />
        <source>Same name and birth date, but no registry links these IDs. They stay apart until you confirm that they are one person.</source>
        <translation>姓名和出生日期相同，但没有任何登记机构关联这两个ID。在您确认为同一人之前，二者分开显示。</translation>
    </message>
    <message>
        <location filename="../../widgets/history_view.py" line="268" />
        <source>Confirm: same patient</source>
        <translation>确认：同一患者</translation>
    </message>
</context>
<context>
    <name>LoginDialog</name>
    <message>
        <location filename="../../widgets/login_dialog.py" line="68" />
        <source>Sign in — %1</source>
        <translation>登录 — %1</translation>
    </message>
    <message>
        <location filename="../../widgets/login_dialog.py" line="77" />
        <source>Sign in to %1</source>
        <translation>登录 %1</translation>
    </message>
    <message>
        <location filename="../../widgets/login_dialog.py" line="95" />
        <source>Remember the password in the system keyring</source>
        <translation>在系统钥匙串中记住密码</translation>
    </message>
    <message>
        <location filename="../../widgets/login_dialog.py" line="97" />
        <source>Username</source>
        <translation>用户名</translation>
    </message>
    <message>
        <location filename="../../widgets/login_dialog.py" line="98" />
        <source>Password</source>
        <translation>密码</translation>
    </message>
    <message>
        <location filename="../../widgets/login_dialog.py" line="110" />
        <source>Checking the password with %1…</source>
        <translation>正在向 %1 验证密码…</translation>
    </message>
    <message>
        <location filename="../../widgets/login_dialog.py" line="126" />
        <source>Sign in</source>
        <translation>登录</translation>
    </message>
    <message>
        <location filename="../../widgets/login_dialog.py" line="130" />
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <location filename="../../widgets/login_dialog.py" line="143" />
        <source>Enter a username.</source>
        <translation>请输入用户名。</translation>
    </message>
    <message>
        <location filename="../../widgets/login_dialog.py" line="198" />
        <source>The server accepted the password, but it cannot be remembered: no system keyring is available. Untick “Remember” to sign in for this session only.</source>
        <translation>服务器已接受密码，但无法记住：系统钥匙串不可用。取消勾选“记住”即可仅在本次会话中登录。</translation>
    </message>
    <message>
        <location filename="../../widgets/login_dialog.py" line="205" />
        <source>Wrong username or password.</source>
        <translation>用户名或密码错误。</translation>
    </message>
    <message>
        <location filename="../../widgets/login_dialog.py" line="210" />
        <source>The certificate of %1 is not trusted, so the password was not sent. Ask IT for the site's CA bundle (ca_bundle in the configuration).</source>
        <translation>%1 的证书不受信任，密码未发送。请向信息科索取本院的 CA 证书（配置中的 ca_bundle）。</translation>
    </message>
    <message>
        <location filename="../../widgets/login_dialog.py" line="218" />
        <source>%1 answered with an error. Try again later or call IT.</source>
        <translation>%1 返回错误。请稍后重试或联系信息科。</translation>
    </message>
    <message>
        <location filename="../../widgets/login_dialog.py" line="227" />
        <source>Cannot reach %1. Check the network connection; the server may be down.</source>
        <translation>无法连接 %1。请检查网络连接；服务器可能已停止服务。</translation>
    </message>
    <message>
        <location filename="../../widgets/login_dialog.py" line="231" />
        <source>Sign-in failed.</source>
        <translation>登录失败。</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <location filename="../../widgets/main_window.py" line="103" />
        <source>Qingying — imaging history</source>
        <translation>轻影 — 影像历史</translation>
    </message>
    <message>
        <location filename="../../widgets/main_window.py" line="141" />
        <source>Search for a patient to see their imaging history from every hospital.</source>
        <translation>检索患者，查看其在各医院的全部影像历史。</translation>
    </message>
    <message>
        <location filename="../../widgets/main_window.py" line="146" />
        <source>Ctrl+F search · Enter run · Esc cancel</source>
        <translation>Ctrl+F 检索 · Enter 执行 · Esc 取消</translation>
    </message>
    <message>
        <location filename="../../widgets/main_window.py" line="155" />
        <source>Sources</source>
        <translation>数据源</translation>
    </message>
    <message>
        <location filename="../../widgets/main_window.py" line="172" />
        <source>No source configured</source>
        <translation>尚未配置数据源</translation>
    </message>
    <message>
        <location filename="../../widgets/main_window.py" line="180" />
        <source>Authentication: %1</source>
        <translation>认证方式：%1</translation>
    </message>
    <message>
        <location filename="../../widgets/main_window.py" line="182" />
        <source>User: %1</source>
        <translation>用户：%1</translation>
    </message>
    <message>
        <location filename="../../widgets/main_window.py" line="184" />
        <source>Patient ID issuer: %1</source>
        <translation>患者ID签发机构：%1</translation>
    </message>
    <message>
        <location filename="../../widgets/main_window.py" line="188" />
        <source>&amp;File</source>
        <translation>文件(&amp;F)</translation>
    </message>
    <message>
        <location filename="../../widgets/main_window.py" line="189" />
        <source>&amp;Find patient</source>
        <translation>查找患者(&amp;F)</translation>
    </message>
    <message>
        <location filename="../../widgets/main_window.py" line="194" />
        <source>&amp;Quit</source>
        <translation>退出(&amp;Q)</translation>
    </message>
    <message>
        <location filename="../../widgets/main_window.py" line="198" />
        <source>&amp;Help</source>
        <translation>帮助(&amp;H)</translation>
    </message>
    <message>
        <location filename="../../widgets/main_window.py" line="199" />
        <source>&amp;About Qingying</source>
        <translation>关于轻影(&amp;A)</translation>
    </message>
    <message>
        <location filename="../../widgets/main_window.py" line="210" />
        <source>built-in defaults</source>
        <translation>内置默认值</translation>
    </message>
    <message>
        <location filename="../../widgets/main_window.py" line="212" />
        <source>%1 source(s) configured · configuration: %2</source>
        <translation>已配置 %1 个数据源 · 配置文件：%2</translation>
    </message>
    <message>
        <location filename="../../widgets/main_window.py" line="227" />
        <source>no sign-in needed</source>
        <translation>无需登录</translation>
    </message>
    <message>
        <location filename="../../widgets/main_window.py" line="229" />
        <source>OIDC sign-in is not supported yet</source>
        <translation>暂不支持 OIDC 登录</translation>
    </message>
    <message>
        <location filename="../../widgets/main_window.py" line="232" />
        <source>signed in as %1 (this session)</source>
        <translation>已登录：%1（仅本次会话）</translation>
    </message>
    <message>
        <location filename="../../widgets/main_window.py" line="236" />
        <source>signed in as %1 (remembered)</source>
        <translation>已登录：%1（已记住）</translation>
    </message>
    <message>
        <location filename="../../widgets/main_window.py" line="238" />
        <source>not signed in (no system keyring)</source>
        <translation>未登录（无系统钥匙串）</translation>
    </message>
    <message>
        <location filename="../../widgets/main_window.py" line="239" />
        <source>not signed in</source>
        <translation>未登录</translation>
    </message>
    <message>
        <location filename="../../widgets/main_window.py" line="268" />
        <source>Signed in to %1</source>
        <translation>已登录 %1</translation>
    </message>
    <message>
        <location filename="../../widgets/main_window.py" line="326" />
        <source>Cancelling…</source>
        <translation>正在取消…</translation>
    </message>
    <message>
        <location filename="../../widgets/main_window.py" line="338" />
        <source>%1 patient(s), %2 studies · %3 of %4 sources answered</source>
        <translation>%1 位患者，%2 项检查 · %4 个数据源中 %3 个已应答</translation>
    </message>
    <message>
        <location filename="../../widgets/main_window.py" line="360" />
        <source>Search cancelled</source>
        <translation>检索已取消</translation>
    </message>
    <message>
        <location filename="../../widgets/main_window.py" line="376" />
        <source>About Qingying</source>
        <translation>关于轻影</translation>
    </message>
    <message>
        <location filename="../../widgets/main_window.py" line="378" />
        <source>&lt;b&gt;轻影 Qingying&lt;/b&gt; %1&lt;br&gt;A viewer for a regional imaging platform: one patient's studies from every hospital, so that films are no longer carried and exams not repeated.</source>
        <translation>&lt;b&gt;轻影 Qingying&lt;/b&gt; %1&lt;br&gt;区域影像平台阅片客户端：汇集患者在各医院的检查，免去携带胶片，避免重复检查。</translation>
    </message>
</context>
<context>
    <name>PatientSection</name>
    <message>
        <location filename="../../widgets/history_view.py" line="303" />
        <source>Patient %1</source>
        <translation>患者 %1</translation>
    </message>
    <message>
        <location filename="../../widgets/history_view.py" line="313" />
        <source>⚠ %1 recent similar exams</source>
        <translation>⚠ %1 项近期相似检查</translation>
    </message>
    <message>
        <location filename="../../widgets/history_view.py" line="319" />
        <source>male</source>
        <translation>男</translation>
    </message>
    <message>
        <location filename="../../widgets/history_view.py" line="319" />
        <source>female</source>
        <translation>女</translation>
    </message>
    <message>
        <location filename="../../widgets/history_view.py" line="319" />
        <source>other</source>
        <translation>其他</translation>
    </message>
    <message>
        <location filename="../../widgets/history_view.py" line="320" />
        <source>sex unknown</source>
        <translation>性别不详</translation>
    </message>
    <message>
        <location filename="../../widgets/history_view.py" line="323" />
        <source>ID %1 · issuer %2 · born %3 · %4</source>
        <translation>ID %1 · 签发机构 %2 · 出生 %3 · %4</translation>
    </message>
    <message>
        <location filename="../../widgets/history_view.py" line="325" />
        <location filename="../../widgets/history_view.py" line="326" />
        <source>unknown</source>
        <translation>不详</translation>
    </message>
    <message>
        <location filename="../../widgets/history_view.py" line="337" />
        <source>Also known as: %1</source>
        <translation>其他ID：%1</translation>
    </message>
    <message>
        <location filename="../../widgets/history_view.py" line="346" />
        <source>%1 studies · %2 institutions</source>
        <translation>%1 项检查 · %2 家机构</translation>
    </message>
    <message>
        <location filename="../../widgets/history_view.py" line="362" />
        <source>no date</source>
        <translation>无日期</translation>
    </message>
</context>
<context>
    <name>SearchPanel</name>
    <message>
        <location filename="../../widgets/search_panel.py" line="51" />
        <source>Patient ID</source>
        <translation>患者ID</translation>
    </message>
    <message>
        <location filename="../../widgets/search_panel.py" line="53" />
        <source>any registry</source>
        <translation>任意签发机构</translation>
    </message>
    <message>
        <location filename="../../widgets/search_panel.py" line="57" />
        <source>Which registry issued the patient ID (IssuerOfPatientID)</source>
        <translation>患者ID的签发机构（IssuerOfPatientID）</translation>
    </message>
    <message>
        <location filename="../../widgets/search_panel.py" line="59" />
        <source>Name: Wang XiaoDong or 王小东</source>
        <translation>姓名：Wang XiaoDong 或 王小东</translation>
    </message>
    <message>
        <location filename="../../widgets/search_panel.py" line="60" />
        <source>Birth date YYYYMMDD</source>
        <translation>出生日期 YYYYMMDD</translation>
    </message>
    <message>
        <location filename="../../widgets/search_panel.py" line="63" />
        <source>any sex</source>
        <translation>任意性别</translation>
    </message>
    <message>
        <location filename="../../widgets/search_panel.py" line="64" />
        <source>male</source>
        <translation>男</translation>
    </message>
    <message>
        <location filename="../../widgets/search_panel.py" line="65" />
        <source>female</source>
        <translation>女</translation>
    </message>
    <message>
        <location filename="../../widgets/search_panel.py" line="66" />
        <source>other</source>
        <translation>其他</translation>
    </message>
    <message>
        <location filename="../../widgets/search_panel.py" line="70" />
        <source>any modality</source>
        <translation>任意检查类型</translation>
    </message>
    <message>
        <location filename="../../widgets/search_panel.py" line="73" />
        <source>Studies from YYYYMMDD</source>
        <translation>检查日期自 YYYYMMDD</translation>
    </message>
    <message>
        <location filename="../../widgets/search_panel.py" line="74" />
        <source>to YYYYMMDD</source>
        <translation>至 YYYYMMDD</translation>
    </message>
    <message>
        <location filename="../../widgets/search_panel.py" line="75" />
        <source>Accession number</source>
        <translation>检查号</translation>
    </message>
    <message>
        <location filename="../../widgets/search_panel.py" line="92" />
        <source>Search</source>
        <translation>检索</translation>
    </message>
    <message>
        <location filename="../../widgets/search_panel.py" line="94" />
        <source>Search every source (Enter)</source>
        <translation>检索所有数据源（Enter）</translation>
    </message>
    <message>
        <location filename="../../widgets/search_panel.py" line="96" />
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <location filename="../../widgets/search_panel.py" line="97" />
        <source>Stop the search (Esc)</source>
        <translation>停止检索（Esc）</translation>
    </message>
    <message>
        <location filename="../../widgets/search_panel.py" line="157" />
        <source>Searching every source…</source>
        <translation>正在检索所有数据源…</translation>
    </message>
</context>
<context>
    <name>SourceProblem</name>
    <message>
        <location filename="../../widgets/history_view.py" line="84" />
        <source>no system keyring to read the password from</source>
        <translation>无系统钥匙串，无法读取密码</translation>
    </message>
    <message>
        <location filename="../../widgets/history_view.py" line="89" />
        <source>not signed in</source>
        <translation>未登录</translation>
    </message>
    <message>
        <location filename="../../widgets/history_view.py" line="90" />
        <source>sign-in refused</source>
        <translation>登录被拒绝</translation>
    </message>
    <message>
        <location filename="../../widgets/history_view.py" line="92" />
        <source>certificate not trusted</source>
        <translation>证书不受信任</translation>
    </message>
    <message>
        <location filename="../../widgets/history_view.py" line="94" />
        <source>server error</source>
        <translation>服务器错误</translation>
    </message>
    <message>
        <location filename="../../widgets/history_view.py" line="96" />
        <source>cannot be reached</source>
        <translation>无法连接</translation>
    </message>
    <message>
        <location filename="../../widgets/history_view.py" line="98" />
        <source>search failed</source>
        <translation>检索失败</translation>
    </message>
</context>
<context>
    <name>SourceRow</name>
    <message>
        <location filename="../../widgets/main_window.py" line="74" />
        <source>Sign in…</source>
        <translation>登录…</translation>
    </message>
</context>
<context>
    <name>StudyCard</name>
    <message>
        <location filename="../../widgets/history_view.py" line="401" />
        <source>(no description)</source>
        <translation>（无描述）</translation>
    </message>
    <message>
        <location filename="../../widgets/history_view.py" line="404" />
        <location filename="../../widgets/history_view.py" line="462" />
        <source>institution unknown</source>
        <translation>机构不详</translation>
    </message>
    <message>
        <location filename="../../widgets/history_view.py" line="410" />
        <source>Sources:</source>
        <translation>数据源：</translation>
    </message>
    <message>
        <location filename="../../widgets/history_view.py" line="432" />
        <source>cached offline</source>
        <translation>已离线缓存</translation>
    </message>
    <message>
        <location filename="../../widgets/history_view.py" line="433" />
        <source>partly cached</source>
        <translation>部分缓存</translation>
    </message>
    <message>
        <location filename="../../widgets/history_view.py" line="434" />
        <source>not cached</source>
        <translation>未缓存</translation>
    </message>
    <message>
        <location filename="../../widgets/history_view.py" line="442" />
        <source>%1 series</source>
        <translation>%1 个序列</translation>
    </message>
    <message>
        <location filename="../../widgets/history_view.py" line="444" />
        <source>%1 image(s)</source>
        <translation>%1 幅图像</translation>
    </message>
    <message>
        <location filename="../../widgets/history_view.py" line="446" />
        <source>Acc. %1</source>
        <translation>检查号 %1</translation>
    </message>
    <message>
        <location filename="../../widgets/history_view.py" line="459" />
        <source>%1 on %2 at %3 (%4 days apart)</source>
        <translation>%1，%2，%3（相隔 %4 天）</translation>
    </message>
    <message>
        <location filename="../../widgets/history_view.py" line="466" />
        <source>⚠ Recent similar exam: %1. Look at it before repeating the exam.</source>
        <translation>⚠ 近期相似检查：%1。重复检查前请先查看。</translation>
    </message>
    <message>
        <location filename="../../widgets/history_view.py" line="467" />
        <source>another study</source>
        <translation>另一项检查</translation>
    </message>
</context>
</TS>