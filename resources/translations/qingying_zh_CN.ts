<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
<context>
    <name>App</name>
    <message>
        <location filename="../../widgets/app.py" line="137"/>
        <source>The configuration cannot be used:</source>
        <translation>配置无法使用：</translation>
    </message>
</context>
<context>
    <name>ArrivalBridge</name>
    <message>
        <location filename="../../widgets/arriving_series.py" line="150"/>
        <source>%1 of %2 images received</source>
        <translation>已收到 %1/%2 幅图像</translation>
    </message>
    <message>
        <location filename="../../widgets/arriving_series.py" line="157"/>
        <source>%1 of %2 images received: the download stopped</source>
        <translation>已收到 %1/%2 幅图像：下载已停止</translation>
    </message>
</context>
<context>
    <name>AuditWarning</name>
    <message>
        <location filename="../../widgets/audit_warning.py" line="40"/>
        <source>the system keyring is locked or missing</source>
        <translation>系统钥匙串已锁定或不存在</translation>
    </message>
    <message>
        <location filename="../../widgets/audit_warning.py" line="42"/>
        <source>its folder cannot be written</source>
        <translation>其文件夹无法写入</translation>
    </message>
    <message>
        <location filename="../../widgets/audit_warning.py" line="45"/>
        <source>⚠ Patient access is not being recorded in the audit trail: %1. Call IT.</source>
        <translation>⚠ 患者数据访问未能记入审计日志：%1。请联系信息科。</translation>
    </message>
</context>
<context>
    <name>CacheDialog</name>
    <message>
        <location filename="../../widgets/cache_dialog.py" line="50"/>
        <location filename="../../widgets/cache_dialog.py" line="57"/>
        <source>Offline cache</source>
        <translation>离线缓存</translation>
    </message>
    <message>
        <location filename="../../widgets/cache_dialog.py" line="75"/>
        <source>Location:</source>
        <translation>位置：</translation>
    </message>
    <message>
        <location filename="../../widgets/cache_dialog.py" line="81"/>
        <source>Open folder</source>
        <translation>打开文件夹</translation>
    </message>
    <message>
        <location filename="../../widgets/cache_table.py" line="52"/>
        <source>Study date</source>
        <translation>检查日期</translation>
    </message>
    <message>
        <location filename="../../widgets/cache_table.py" line="53"/>
        <source>Patient</source>
        <translation>患者</translation>
    </message>
    <message>
        <location filename="../../widgets/cache_table.py" line="54"/>
        <source>Patient ID</source>
        <translation>患者ID</translation>
    </message>
    <message>
        <location filename="../../widgets/cache_table.py" line="55"/>
        <source>Modalities</source>
        <translation>检查类型</translation>
    </message>
    <message>
        <location filename="../../widgets/cache_table.py" line="56"/>
        <source>State</source>
        <translation>状态</translation>
    </message>
    <message>
        <location filename="../../widgets/cache_table.py" line="57"/>
        <source>Size</source>
        <translation>大小</translation>
    </message>
    <message>
        <location filename="../../widgets/cache_table.py" line="58"/>
        <source>Pinned</source>
        <translation>固定</translation>
    </message>
    <message>
        <location filename="../../widgets/cache_table.py" line="59"/>
        <source>Last used</source>
        <translation>最近使用</translation>
    </message>
    <message>
        <location filename="../../widgets/cache_table.py" line="75"/>
        <source>Double-click: read this study</source>
        <translation>双击：阅读此检查</translation>
    </message>
    <message>
        <location filename="../../widgets/cache_dialog.py" line="108"/>
        <source>Remove selected</source>
        <translation>删除所选</translation>
    </message>
    <message>
        <location filename="../../widgets/cache_dialog.py" line="110"/>
        <source>Free space</source>
        <translation>释放空间</translation>
    </message>
    <message>
        <location filename="../../widgets/cache_dialog.py" line="113"/>
        <source>Remove the least recently used studies until the cache fits its maximum size; pinned and open studies are kept</source>
        <translation>删除最久未使用的检查，直到缓存不超过上限；固定和正在打开的检查会保留</translation>
    </message>
    <message>
        <location filename="../../widgets/cache_dialog.py" line="118"/>
        <source>Verify</source>
        <translation>校验</translation>
    </message>
    <message>
        <location filename="../../widgets/cache_dialog.py" line="120"/>
        <source>Check every cached file; damaged ones are removed so they are fetched again</source>
        <translation>检查每个缓存文件；损坏的文件会被删除，以便重新下载</translation>
    </message>
    <message>
        <location filename="../../widgets/cache_dialog.py" line="123"/>
        <source>Import folder or CD…</source>
        <translation>导入文件夹或光盘…</translation>
    </message>
    <message>
        <location filename="../../widgets/cache_dialog.py" line="125"/>
        <source>Export study…</source>
        <translation>导出检查…</translation>
    </message>
    <message>
        <location filename="../../widgets/cache_chores.py" line="46"/>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <location filename="../../widgets/cache_dialog.py" line="137"/>
        <source>Close</source>
        <translation>关闭</translation>
    </message>
    <message>
        <location filename="../../widgets/cache_reports.py" line="31"/>
        <source>%1 used of %2 · %3 studies</source>
        <translation>已用 %1，上限 %2 · %3 个检查</translation>
    </message>
    <message>
        <location filename="../../widgets/cache_table.py" line="114"/>
        <source>Pinned studies are never removed to free space</source>
        <translation>固定的检查不会因释放空间而被删除</translation>
    </message>
    <message>
        <location filename="../../widgets/cache_table.py" line="163"/>
        <source>complete</source>
        <translation>完整</translation>
    </message>
    <message>
        <location filename="../../widgets/cache_table.py" line="167"/>
        <source>partial (%1 of %2 images)</source>
        <translation>部分（%1/%2 幅图像）</translation>
    </message>
    <message>
        <location filename="../../widgets/cache_table.py" line="171"/>
        <source>partial</source>
        <translation>部分</translation>
    </message>
    <message>
        <location filename="../../widgets/cache_table.py" line="173"/>
        <source>empty</source>
        <translation>空</translation>
    </message>
    <message>
        <location filename="../../widgets/cache_dialog.py" line="203"/>
        <source>Remove from the offline cache</source>
        <translation>从离线缓存中删除</translation>
    </message>
    <message>
        <location filename="../../widgets/cache_dialog.py" line="205"/>
        <source>Remove %1 stud(ies) from the offline cache? They can be downloaded again while a source is reachable.</source>
        <translation>从离线缓存中删除 %1 个检查？在数据源可连接时可以重新下载。</translation>
    </message>
    <message>
        <location filename="../../widgets/cache_reports.py" line="39"/>
        <source>Removed %1 stud(ies).</source>
        <translation>已删除 %1 个检查。</translation>
    </message>
    <message>
        <location filename="../../widgets/cache_reports.py" line="43"/>
        <source>Not removed: %1</source>
        <translation>未删除：%1</translation>
    </message>
    <message>
        <location filename="../../widgets/cache_reports.py" line="52"/>
        <source>Freed %1 by removing %2 least recently used stud(ies).</source>
        <translation>已删除 %2 个最久未使用的检查，释放 %1。</translation>
    </message>
    <message>
        <location filename="../../widgets/cache_reports.py" line="59"/>
        <source>Nothing removed: the cache is within its maximum size (%1).</source>
        <translation>未删除任何检查：缓存未超过上限（%1）。</translation>
    </message>
    <message>
        <location filename="../../widgets/cache_reports.py" line="65"/>
        <source>%1 pinned</source>
        <translation>%1 个已固定</translation>
    </message>
    <message>
        <location filename="../../widgets/cache_reports.py" line="71"/>
        <source>%1 open</source>
        <translation>%1 个正在打开</translation>
    </message>
    <message>
        <location filename="../../widgets/cache_reports.py" line="76"/>
        <source>Kept: %1.</source>
        <translation>保留：%1。</translation>
    </message>
    <message>
        <location filename="../../widgets/cache_reports.py" line="80"/>
        <source>Still over the maximum size: unpin studies or remove them by hand.</source>
        <translation>仍超过上限：请取消固定或手动删除检查。</translation>
    </message>
    <message>
        <location filename="../../widgets/cache_reports.py" line="88"/>
        <source>Verified %1 file(s): all intact.</source>
        <translation>已校验 %1 个文件：全部完好。</translation>
    </message>
    <message>
        <location filename="../../widgets/cache_reports.py" line="92"/>
        <source>Verified %1 file(s): %2 damaged, removed so that they are fetched again:</source>
        <translation>已校验 %1 个文件：%2 个损坏，已删除以便重新下载：</translation>
    </message>
    <message>
        <location filename="../../widgets/cache_reports.py" line="101"/>
        <source>• %1: %2</source>
        <translation>• %1：%2</translation>
    </message>
    <message>
        <location filename="../../widgets/cache_reports.py" line="108"/>
        <source>… and %1 more</source>
        <translation>……另有 %1 个</translation>
    </message>
    <message>
        <location filename="../../widgets/cache_reports.py" line="117"/>
        <source>Verify cancelled after %1 of %2 file(s).</source>
        <translation>校验已取消：已检查 %2 个文件中的 %1 个。</translation>
    </message>
    <message>
        <location filename="../../widgets/cache_reports.py" line="122"/>
        <source>%1 damaged file(s) found until then were removed so that they are fetched again.</source>
        <translation>此前发现的 %1 个损坏文件已移除，将重新下载。</translation>
    </message>
    <message>
        <location filename="../../widgets/cache_reports.py" line="133"/>
        <source>file missing</source>
        <translation>文件缺失</translation>
    </message>
    <message>
        <location filename="../../widgets/cache_reports.py" line="134"/>
        <source>file size wrong</source>
        <translation>文件大小不符</translation>
    </message>
    <message>
        <location filename="../../widgets/cache_reports.py" line="135"/>
        <source>its pack file is cut short</source>
        <translation>所在的打包文件不完整</translation>
    </message>
    <message>
        <location filename="../../widgets/cache_reports.py" line="136"/>
        <source>checksum mismatch</source>
        <translation>校验和不符</translation>
    </message>
    <message>
        <location filename="../../widgets/cache_reports.py" line="137"/>
        <source>unreadable: %1</source>
        <translation>无法读取：%1</translation>
    </message>
    <message>
        <location filename="../../widgets/cache_reports.py" line="146"/>
        <source>Verifying: %1 of %2 file(s)</source>
        <translation>正在校验：%1 / %2 个文件</translation>
    </message>
    <message>
        <location filename="../../widgets/cache_dialog.py" line="280"/>
        <source>Import a folder or a patient&apos;s CD (DICOMDIR)</source>
        <translation>导入文件夹或患者光盘（DICOMDIR）</translation>
    </message>
    <message>
        <location filename="../../widgets/cache_reports.py" line="154"/>
        <source>Imported %1 image(s) of %2 stud(ies) from %3.</source>
        <translation>已从 %3 导入 %2 个检查的 %1 幅图像。</translation>
    </message>
    <message>
        <location filename="../../widgets/cache_reports.py" line="161"/>
        <source>Skipped %1 file(s): %2 not DICOM, %3 unreadable.</source>
        <translation>跳过 %1 个文件：%2 个不是 DICOM，%3 个无法读取。</translation>
    </message>
    <message>
        <location filename="../../widgets/cache_reports.py" line="173"/>
        <source>Import cancelled after %1 of %2 file(s): the %3 image(s) imported until then are kept. Import the same folder again to bring the rest.</source>
        <translation>导入已取消（已处理 %2 个文件中的 %1 个）：此前导入的 %3 幅图像已保留。再次导入同一文件夹即可导入其余部分。</translation>
    </message>
    <message>
        <location filename="../../widgets/cache_reports.py" line="186"/>
        <source>Importing: %1 of %2 file(s), %3 image(s) imported</source>
        <translation>正在导入：%1 / %2 个文件，已导入 %3 幅图像</translation>
    </message>
    <message>
        <location filename="../../widgets/cache_dialog.py" line="317"/>
        <source>Export the study to a folder</source>
        <translation>将检查导出到文件夹</translation>
    </message>
    <message>
        <location filename="../../widgets/cache_reports.py" line="197"/>
        <source>Exported %1 file(s) to %2.</source>
        <translation>已导出 %1 个文件到 %2。</translation>
    </message>
    <message>
        <location filename="../../widgets/cache_chores.py" line="86"/>
        <source>Cancelling…</source>
        <translation>正在取消…</translation>
    </message>
</context>
<context>
    <name>Download</name>
    <message>
        <location filename="../../widgets/problem_words.py" line="37"/>
        <source>no system keyring to read the password from</source>
        <translation>无系统钥匙串，无法读取密码</translation>
    </message>
    <message>
        <location filename="../../widgets/problem_words.py" line="40"/>
        <source>not signed in</source>
        <translation>未登录</translation>
    </message>
    <message>
        <location filename="../../widgets/problem_words.py" line="41"/>
        <source>sign-in refused</source>
        <translation>登录被拒绝</translation>
    </message>
    <message>
        <location filename="../../widgets/problem_words.py" line="27"/>
        <location filename="../../widgets/problem_words.py" line="42"/>
        <source>the disk is full</source>
        <translation>磁盘已满</translation>
    </message>
    <message>
        <location filename="../../widgets/problem_words.py" line="43"/>
        <source>certificate not trusted</source>
        <translation>证书不受信任</translation>
    </message>
    <message>
        <location filename="../../widgets/problem_words.py" line="44"/>
        <source>server error</source>
        <translation>服务器错误</translation>
    </message>
    <message>
        <location filename="../../widgets/problem_words.py" line="45"/>
        <source>the link failed</source>
        <translation>连接中断</translation>
    </message>
    <message>
        <location filename="../../widgets/problem_words.py" line="46"/>
        <source>download failed</source>
        <translation>下载失败</translation>
    </message>
</context>
<context>
    <name>HistoryView</name>
    <message>
        <location filename="../../widgets/history_view.py" line="102"/>
        <source>Offline: no source could be reached — showing studies from the offline cache</source>
        <translation>离线：无法连接任何数据源——显示离线缓存中的检查</translation>
    </message>
    <message>
        <location filename="../../widgets/history_view.py" line="118"/>
        <source>No source could be searched.</source>
        <translation>没有可检索的数据源。</translation>
    </message>
    <message>
        <location filename="../../widgets/history_view.py" line="120"/>
        <source>No studies match this search.</source>
        <translation>没有符合条件的检查。</translation>
    </message>
    <message>
        <location filename="../../widgets/history_view.py" line="127"/>
        <source>%1 different patients match this search. Each is shown on its own: check the identity before reading.</source>
        <translation>有 %1 位不同的患者符合条件，分别列出：阅片前请核对身份。</translation>
    </message>
    <message>
        <location filename="../../widgets/history_view.py" line="156"/>
        <source>No configured source uses patient IDs issued by %1: nothing was searched under this ID.</source>
        <translation>没有已配置的数据源使用 %1 签发的患者ID：未按此ID检索。</translation>
    </message>
    <message>
        <location filename="../../widgets/history_view.py" line="161"/>
        <source>%1: more studies match than were fetched; narrow the search to see them all.</source>
        <translation>%1：符合条件的检查多于已获取的数量；请缩小检索范围以查看全部。</translation>
    </message>
    <message>
        <location filename="../../widgets/history_view.py" line="165"/>
        <source>%1: %2 result(s) without a usable study UID were left out.</source>
        <translation>%1：%2 条结果缺少可用的检查UID，已略去。</translation>
    </message>
    <message>
        <location filename="../../widgets/history_view.py" line="170"/>
        <source>A study is filed under two patients that no source links: check the patients before reading.</source>
        <translation>同一检查登记在两位未经任何数据源关联的患者名下：阅片前请核对患者身份。</translation>
    </message>
    <message>
        <location filename="../../widgets/history_view.py" line="255"/>
        <source>Sign in…</source>
        <translation>登录…</translation>
    </message>
    <message>
        <location filename="../../widgets/history_view.py" line="259"/>
        <source>%1 was not searched; the results below come from the other sources.</source>
        <translation>未能检索 %1；以下结果来自其他数据源。</translation>
    </message>
    <message>
        <location filename="../../widgets/history_view.py" line="278"/>
        <source>Possible same patient — confirm</source>
        <translation>可能为同一患者 — 请确认</translation>
    </message>
    <message>
        <location filename="../../widgets/history_view.py" line="284"/>
        <source>Patient %1: %2 · %3 · born %4</source>
        <translation>患者 %1：%2 · %3 · 出生 %4</translation>
    </message>
    <message>
        <location filename="../../widgets/history_view.py" line="296"/>
        <source>Same name and birth date, but no registry links these IDs. They stay apart until you confirm that they are one person.</source>
        <translation>姓名和出生日期相同，但没有任何登记机构关联这两个ID。在您确认为同一人之前，二者分开显示。</translation>
    </message>
    <message>
        <location filename="../../widgets/history_view.py" line="305"/>
        <source>Confirm: same patient</source>
        <translation>确认：同一患者</translation>
    </message>
</context>
<context>
    <name>IdleLock</name>
    <message>
        <location filename="../../widgets/idle_lock.py" line="88"/>
        <source>&amp;Lock</source>
        <translation>锁定(&amp;L)</translation>
    </message>
</context>
<context>
    <name>LockScreen</name>
    <message>
        <location filename="../../widgets/lock_screen.py" line="82"/>
        <source>Password</source>
        <translation>密码</translation>
    </message>
    <message>
        <location filename="../../widgets/lock_screen.py" line="89"/>
        <source>Close the session for another user</source>
        <translation>结束本次会话，换人使用</translation>
    </message>
    <message>
        <location filename="../../widgets/lock_screen.py" line="92"/>
        <location filename="../../widgets/lock_screen.py" line="254"/>
        <source>Unlock</source>
        <translation>解锁</translation>
    </message>
    <message>
        <location filename="../../widgets/lock_screen.py" line="113"/>
        <source>Qingying is locked</source>
        <translation>轻影已锁定</translation>
    </message>
    <message>
        <location filename="../../widgets/lock_screen.py" line="116"/>
        <source>Locked at the user&apos;s request. Nothing of a patient is shown.</source>
        <translation>已按用户要求锁定。不显示任何患者信息。</translation>
    </message>
    <message>
        <location filename="../../widgets/lock_screen.py" line="121"/>
        <source>Locked after %1 minutes without use. Nothing of a patient is shown.</source>
        <translation>%1 分钟无操作，已自动锁定。不显示任何患者信息。</translation>
    </message>
    <message>
        <location filename="../../widgets/lock_screen.py" line="129"/>
        <source>Signed in as %1 through %2 (computer account %3). Sign in again there to unlock: another doctor signing in closes this session.</source>
        <translation>已通过 %2 以 %1 身份登录（计算机账户 %3）。请在该处重新登录以解锁：其他医生登录将结束本次会话。</translation>
    </message>
    <message>
        <location filename="../../widgets/lock_screen.py" line="139"/>
        <source>Signed in as %1 at %2 (computer account %3). Enter %1&apos;s password.</source>
        <translation>已以 %1 身份登录 %2（计算机账户 %3）。请输入 %1 的密码。</translation>
    </message>
    <message>
        <location filename="../../widgets/lock_screen.py" line="146"/>
        <source>Nobody is signed in to the platform: close the session to go on.</source>
        <translation>当前没有用户登录平台：请结束本次会话后继续。</translation>
    </message>
    <message>
        <location filename="../../widgets/lock_screen.py" line="235"/>
        <source>The server&apos;s certificate is refused, so the password was not sent. Close the session, or call IT.</source>
        <translation>服务器证书被拒绝，密码未发送。请结束本次会话，或联系信息科。</translation>
    </message>
    <message>
        <location filename="../../widgets/lock_screen.py" line="239"/>
        <source>Too many wrong passwords: try again in %1 s.</source>
        <translation>密码错误次数过多：请 %1 秒后再试。</translation>
    </message>
    <message>
        <location filename="../../widgets/lock_screen.py" line="243"/>
        <source>Wrong password.</source>
        <translation>密码错误。</translation>
    </message>
    <message>
        <location filename="../../widgets/lock_screen.py" line="246"/>
        <source>The server cannot be reached to check the password, and this session holds none to compare with. Close the session to go on.</source>
        <translation>无法连接服务器核对密码，本次会话也没有可供比对的密码。请结束本次会话后继续。</translation>
    </message>
    <message>
        <location filename="../../widgets/lock_screen.py" line="249"/>
        <source>The password cannot be checked: %1</source>
        <translation>无法核对密码：%1</translation>
    </message>
    <message>
        <location filename="../../widgets/lock_screen.py" line="254"/>
        <source>Checking…</source>
        <translation>正在核对…</translation>
    </message>
</context>
<context>
    <name>LoginDialog</name>
    <message>
        <location filename="../../widgets/login_dialog.py" line="69"/>
        <source>Sign in — %1</source>
        <translation>登录 — %1</translation>
    </message>
    <message>
        <location filename="../../widgets/login_dialog.py" line="78"/>
        <source>Sign in to %1</source>
        <translation>登录 %1</translation>
    </message>
    <message>
        <location filename="../../widgets/login_dialog.py" line="96"/>
        <source>Remember the password in the system keyring</source>
        <translation>在系统钥匙串中记住密码</translation>
    </message>
    <message>
        <location filename="../../widgets/login_dialog.py" line="98"/>
        <source>Username</source>
        <translation>用户名</translation>
    </message>
    <message>
        <location filename="../../widgets/login_dialog.py" line="99"/>
        <source>Password</source>
        <translation>密码</translation>
    </message>
    <message>
        <location filename="../../widgets/login_dialog.py" line="111"/>
        <source>Checking the password with %1…</source>
        <translation>正在向 %1 验证密码…</translation>
    </message>
    <message>
        <location filename="../../widgets/login_dialog.py" line="127"/>
        <source>Sign in</source>
        <translation>登录</translation>
    </message>
    <message>
        <location filename="../../widgets/login_dialog.py" line="131"/>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <location filename="../../widgets/login_dialog.py" line="144"/>
        <source>Enter a username.</source>
        <translation>请输入用户名。</translation>
    </message>
    <message>
        <location filename="../../widgets/login_dialog.py" line="200"/>
        <source>The server accepted the password, but it cannot be remembered: no system keyring is available. Untick “Remember” to sign in for this session only.</source>
        <translation>服务器已接受密码，但无法记住：系统钥匙串不可用。取消勾选“记住”即可仅在本次会话中登录。</translation>
    </message>
    <message>
        <location filename="../../widgets/login_dialog.py" line="207"/>
        <source>Wrong username or password.</source>
        <translation>用户名或密码错误。</translation>
    </message>
    <message>
        <location filename="../../widgets/login_dialog.py" line="233"/>
        <source>The certificate of %1 has expired, so the password was not sent. The server&apos;s administrators must renew it.</source>
        <translation>%1 的证书已过期，密码未发送。请服务器管理员更新证书。</translation>
    </message>
    <message>
        <location filename="../../widgets/login_dialog.py" line="238"/>
        <source>The certificate of %1 is self-signed, so the password was not sent. The server&apos;s administrators must install one from a certificate authority the hospital trusts.</source>
        <translation>%1 的证书是自签名证书，密码未发送。请服务器管理员安装由本院信任的证书颁发机构签发的证书。</translation>
    </message>
    <message>
        <location filename="../../widgets/login_dialog.py" line="244"/>
        <source>The certificate of %1 is for another server than the address configured, so the password was not sent. Ask IT to check the source&apos;s address.</source>
        <translation>%1 的证书属于另一台服务器，与配置的地址不符，密码未发送。请信息科核对该数据源的地址。</translation>
    </message>
    <message>
        <location filename="../../widgets/login_dialog.py" line="248"/>
        <source>The certificate of %1 is not trusted, so the password was not sent. Ask IT for the site&apos;s CA bundle (ca_bundle in the configuration).</source>
        <translation>%1 的证书不受信任，密码未发送。请向信息科索取本院的 CA 证书（配置中的 ca_bundle）。</translation>
    </message>
    <message>
        <location filename="../../widgets/login_dialog.py" line="213"/>
        <source>%1 answered with an error. Try again later or call IT.</source>
        <translation>%1 返回错误。请稍后重试或联系信息科。</translation>
    </message>
    <message>
        <location filename="../../widgets/login_dialog.py" line="222"/>
        <source>Cannot reach %1. Check the network connection; the server may be down.</source>
        <translation>无法连接 %1。请检查网络连接；服务器可能已停止服务。</translation>
    </message>
    <message>
        <location filename="../../widgets/login_dialog.py" line="226"/>
        <source>Sign-in failed.</source>
        <translation>登录失败。</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <location filename="../../widgets/main_window.py" line="57"/>
        <source>Qingying — imaging history</source>
        <translation>轻影 — 影像历史</translation>
    </message>
    <message>
        <location filename="../../widgets/window_menus.py" line="31"/>
        <source>Search for a patient to see their imaging history from every hospital.</source>
        <translation>检索患者，查看其在各医院的全部影像历史。</translation>
    </message>
    <message>
        <location filename="../../widgets/window_menus.py" line="40"/>
        <source>Ctrl+F search · Enter run · Esc cancel</source>
        <translation>Ctrl+F 检索 · Enter 执行 · Esc 取消</translation>
    </message>
    <message>
        <location filename="../../widgets/sources_dock.py" line="92"/>
        <source>Sources</source>
        <translation>数据源</translation>
    </message>
    <message>
        <location filename="../../widgets/sources_dock.py" line="115"/>
        <source>No source configured</source>
        <translation>尚未配置数据源</translation>
    </message>
    <message>
        <location filename="../../widgets/sources_dock.py" line="120"/>
        <source>Offline cache…</source>
        <translation>离线缓存…</translation>
    </message>
    <message>
        <location filename="../../widgets/sources_dock.py" line="130"/>
        <source>Authentication: %1</source>
        <translation>认证方式：%1</translation>
    </message>
    <message>
        <location filename="../../widgets/sources_dock.py" line="136"/>
        <source>User: %1</source>
        <translation>用户：%1</translation>
    </message>
    <message>
        <location filename="../../widgets/sources_dock.py" line="140"/>
        <source>Patient ID issuer: %1</source>
        <translation>患者ID签发机构：%1</translation>
    </message>
    <message>
        <location filename="../../widgets/sources_dock.py" line="252"/>
        <source>signed in as %1 through %2</source>
        <translation>已通过 %2 以 %1 身份登录</translation>
    </message>
    <message>
        <location filename="../../widgets/sources_dock.py" line="254"/>
        <source>signed in as %1 through %2; the token renews itself (now until %3)</source>
        <translation>已通过 %2 以 %1 身份登录；令牌自动续期（当前至 %3）</translation>
    </message>
    <message>
        <location filename="../../widgets/window_menus.py" line="59"/>
        <source>&amp;File</source>
        <translation>文件(&amp;F)</translation>
    </message>
    <message>
        <location filename="../../widgets/window_menus.py" line="60"/>
        <source>&amp;Find patient</source>
        <translation>查找患者(&amp;F)</translation>
    </message>
    <message>
        <location filename="../../widgets/window_menus.py" line="64"/>
        <source>Offline &amp;cache…</source>
        <translation>离线缓存(&amp;C)…</translation>
    </message>
    <message>
        <location filename="../../widgets/window_menus.py" line="68"/>
        <source>&amp;Prefetch worklist…</source>
        <translation>预取工作列表(&amp;P)…</translation>
    </message>
    <message>
        <location filename="../../widgets/window_menus.py" line="71"/>
        <source>Bring a clinic worklist&apos;s patients&apos; recent studies into the offline cache</source>
        <translation>将门诊工作列表中患者的近期检查下载到离线缓存</translation>
    </message>
    <message>
        <location filename="../../widgets/window_menus.py" line="79"/>
        <source>&amp;Quit</source>
        <translation>退出(&amp;Q)</translation>
    </message>
    <message>
        <location filename="../../widgets/window_menus.py" line="83"/>
        <source>&amp;Help</source>
        <translation>帮助(&amp;H)</translation>
    </message>
    <message>
        <location filename="../../widgets/window_menus.py" line="84"/>
        <source>&amp;About Qingying</source>
        <translation>关于轻影(&amp;A)</translation>
    </message>
    <message>
        <location filename="../../widgets/window_menus.py" line="120"/>
        <source>The cache&apos;s key is gone from the keyring: what it encrypted (cached studies, unsent measurements) cannot be read and was removed; studies are fetched again when opened.</source>
        <translation>缓存密钥已不在密钥环中：用它加密的内容（缓存的检查、未发送的测量）无法读取，已删除；打开检查时将重新获取。</translation>
    </message>
    <message>
        <location filename="../../widgets/cache_windows.py" line="83"/>
        <source>Show the prefetch</source>
        <translation>显示预取进度</translation>
    </message>
    <message>
        <location filename="../../widgets/window_menus.py" line="131"/>
        <source>built-in defaults</source>
        <translation>内置默认值</translation>
    </message>
    <message>
        <location filename="../../widgets/window_menus.py" line="135"/>
        <source>%1 source(s) configured · configuration: %2</source>
        <translation>已配置 %1 个数据源 · 配置文件：%2</translation>
    </message>
    <message>
        <location filename="../../widgets/sources_dock.py" line="159"/>
        <source>no sign-in needed</source>
        <translation>无需登录</translation>
    </message>
    <message>
        <location filename="../../widgets/sources_dock.py" line="162"/>
        <source>signed in as %1 (this session)</source>
        <translation>已登录：%1（仅本次会话）</translation>
    </message>
    <message>
        <location filename="../../widgets/sources_dock.py" line="166"/>
        <source>signed in as %1 (remembered)</source>
        <translation>已登录：%1（已记住）</translation>
    </message>
    <message>
        <location filename="../../widgets/sources_dock.py" line="170"/>
        <source>not signed in (no system keyring)</source>
        <translation>未登录（无系统钥匙串）</translation>
    </message>
    <message>
        <location filename="../../widgets/sources_dock.py" line="172"/>
        <source>not signed in</source>
        <translation>未登录</translation>
    </message>
    <message>
        <location filename="../../widgets/main_window.py" line="155"/>
        <source>Signed in to %1</source>
        <translation>已登录 %1</translation>
    </message>
    <message>
        <location filename="../../widgets/main_window.py" line="194"/>
        <source>offline cache</source>
        <translation>离线缓存</translation>
    </message>
    <message>
        <location filename="../../widgets/main_window.py" line="196"/>
        <source>%1: %2 studies</source>
        <translation>%1：%2 项检查</translation>
    </message>
    <message>
        <location filename="../../widgets/main_window.py" line="202"/>
        <source>Cancelling…</source>
        <translation>正在取消…</translation>
    </message>
    <message>
        <location filename="../../widgets/main_window.py" line="215"/>
        <source>%1 patient(s), %2 studies · %3 of %4 sources answered</source>
        <translation>%1 位患者，%2 项检查 · %4 个数据源中 %3 个已应答</translation>
    </message>
    <message>
        <location filename="../../widgets/main_window.py" line="222"/>
        <source>offline: from the cache</source>
        <translation>离线：来自缓存</translation>
    </message>
    <message>
        <location filename="../../widgets/main_window.py" line="239"/>
        <source>Search cancelled</source>
        <translation>检索已取消</translation>
    </message>
    <message>
        <location filename="../../widgets/reading_binding.py" line="64"/>
        <source>Back to the images left open (F2)</source>
        <translation>回到仍打开的图像（F2）</translation>
    </message>
    <message>
        <location filename="../../widgets/reading_binding.py" line="80"/>
        <source>A report, not images: its measurements and key images show on the images of the study</source>
        <translation>这是报告而非图像：其测量和关键图像显示在本检查的图像上</translation>
    </message>
    <message>
        <location filename="../../widgets/reading_binding.py" line="103"/>
        <source>The series cannot be opened: %1</source>
        <translation>无法打开该序列：%1</translation>
    </message>
    <message>
        <location filename="../../widgets/reading_binding.py" line="110"/>
        <source>Opening the series…</source>
        <translation>正在打开序列…</translation>
    </message>
    <message>
        <location filename="../../widgets/reading_binding.py" line="174"/>
        <source>Not in the offline cache: search the history to fetch it</source>
        <translation>不在离线缓存中：请先检索影像历史再下载</translation>
    </message>
    <message>
        <location filename="../../widgets/reading_binding.py" line="194"/>
        <source>Sending the measurements…</source>
        <translation>正在发送测量…</translation>
    </message>
    <message>
        <location filename="../../widgets/reading_binding.py" line="205"/>
        <source>Not sent: %1</source>
        <translation>未发送：%1</translation>
    </message>
    <message>
        <location filename="../../widgets/reading_binding.py" line="225"/>
        <source>Back to reading: %1 ▸</source>
        <translation>回到阅片：%1 ▸</translation>
    </message>
    <message>
        <location filename="../../widgets/reading_binding.py" line="260"/>
        <source>Sent %1 measurement(s) and %2 key image(s) to %3</source>
        <translation>已向 %3 发送 %1 项测量和 %2 幅关键图像</translation>
    </message>
    <message>
        <location filename="../../widgets/study_binding.py" line="88"/>
        <source>Fetching this series first: it opens once it is here.</source>
        <translation>正在优先下载此序列：下载完成后自动打开。</translation>
    </message>
    <message>
        <location filename="../../widgets/study_binding.py" line="123"/>
        <source>No series of this study is whole in the offline cache: search for the patient to fetch the rest.</source>
        <translation>离线缓存中此检查没有完整的序列：请检索该患者以下载其余部分。</translation>
    </message>
    <message>
        <location filename="../../widgets/study_binding.py" line="159"/>
        <source>The offline cache cannot be used: %1</source>
        <translation>无法使用离线缓存：%1</translation>
    </message>
    <message>
        <location filename="../../widgets/study_binding.py" line="168"/>
        <source>No source that holds this study can be asked now: search again.</source>
        <translation>目前无法访问存有此检查的数据源：请重新搜索。</translation>
    </message>
    <message>
        <location filename="../../widgets/study_binding.py" line="214"/>
        <source>The series did not arrive whole: it cannot be read yet.</source>
        <translation>序列未完整下载：暂时无法阅片。</translation>
    </message>
    <message>
        <location filename="../../widgets/study_binding.py" line="221"/>
        <source>Study downloaded to the offline cache</source>
        <translation>检查已下载到离线缓存</translation>
    </message>
    <message>
        <location filename="../../widgets/study_binding.py" line="231"/>
        <source>%1 download(s): %2/%3 images, %4 MB</source>
        <translation>%1 个下载：%2/%3 幅图像，%4 MB</translation>
    </message>
    <message>
        <location filename="../../widgets/study_binding.py" line="267"/>
        <source>This study has no images to read.</source>
        <translation>此检查没有可阅读的图像。</translation>
    </message>
    <message>
        <location filename="../../widgets/study_binding.py" line="278"/>
        <source>The series could not be listed: %1</source>
        <translation>无法列出序列：%1</translation>
    </message>
    <message>
        <location filename="../../widgets/cache_windows.py" line="96"/>
        <source>Choose a clinic worklist</source>
        <translation>选择门诊工作列表</translation>
    </message>
    <message>
        <location filename="../../widgets/cache_windows.py" line="98"/>
        <source>Worklists (*.txt *.csv);;All files (*)</source>
        <translation>工作列表 (*.txt *.csv);;所有文件 (*)</translation>
    </message>
    <message>
        <location filename="../../widgets/cache_windows.py" line="142"/>
        <source>Prefetch finished</source>
        <translation>预取完成</translation>
    </message>
    <message>
        <location filename="../../widgets/window_menus.py" line="144"/>
        <source>About Qingying</source>
        <translation>关于轻影</translation>
    </message>
    <message>
        <location filename="../../widgets/window_menus.py" line="145"/>
        <source>&lt;b&gt;轻影 Qingying&lt;/b&gt; %1&lt;br&gt;A viewer for a regional imaging platform: one patient&apos;s studies from every hospital, so that films are no longer carried and exams not repeated.</source>
        <translation>&lt;b&gt;轻影 Qingying&lt;/b&gt; %1&lt;br&gt;区域影像平台阅片客户端：汇集患者在各医院的检查，免去携带胶片，避免重复检查。</translation>
    </message>
</context>
<context>
    <name>Measure</name>
    <message>
        <location filename="../../widgets/measuring.py" line="301"/>
        <source>Note</source>
        <translation>注释</translation>
    </message>
    <message>
        <location filename="../../widgets/measuring.py" line="302"/>
        <source>Text shown on the image:</source>
        <translation>显示在图像上的文字：</translation>
    </message>
    <message>
        <location filename="../../widgets/measuring.py" line="327"/>
        <source>Calibrate</source>
        <translation>校准</translation>
    </message>
    <message>
        <location filename="../../widgets/measuring.py" line="328"/>
        <source>True length of the line drawn (mm):</source>
        <translation>所画线段的实际长度（mm）：</translation>
    </message>
    <message>
        <location filename="../../widgets/measure_palette.py" line="75"/>
        <source>Mark key image</source>
        <translation>标记关键图像</translation>
    </message>
    <message>
        <location filename="../../widgets/measure_palette.py" line="79"/>
        <source>Send measurements and key images to the platform</source>
        <translation>将测量和关键图像发送到平台</translation>
    </message>
    <message>
        <location filename="../../widgets/measure_palette.py" line="85"/>
        <source>Reading (no tool)</source>
        <translation>阅片（不测量）</translation>
    </message>
    <message>
        <location filename="../../widgets/measure_palette.py" line="92"/>
        <source>Measure</source>
        <translation>测量</translation>
    </message>
    <message>
        <location filename="../../widgets/measure_words.py" line="14"/>
        <source>Distance</source>
        <translation>距离</translation>
    </message>
    <message>
        <location filename="../../widgets/measure_words.py" line="15"/>
        <source>Polyline</source>
        <translation>折线长度</translation>
    </message>
    <message>
        <location filename="../../widgets/measure_words.py" line="16"/>
        <source>Angle</source>
        <translation>角度</translation>
    </message>
    <message>
        <location filename="../../widgets/measure_words.py" line="17"/>
        <source>Cobb angle</source>
        <translation>Cobb 角</translation>
    </message>
    <message>
        <location filename="../../widgets/measure_words.py" line="18"/>
        <source>Long and short axis</source>
        <translation>长短径</translation>
    </message>
    <message>
        <location filename="../../widgets/measure_words.py" line="19"/>
        <source>Rectangle ROI</source>
        <translation>矩形 ROI</translation>
    </message>
    <message>
        <location filename="../../widgets/measure_words.py" line="20"/>
        <source>Ellipse ROI</source>
        <translation>椭圆 ROI</translation>
    </message>
    <message>
        <location filename="../../widgets/measure_words.py" line="21"/>
        <source>Freehand ROI</source>
        <translation>手绘 ROI</translation>
    </message>
    <message>
        <location filename="../../widgets/measure_words.py" line="22"/>
        <source>Probe</source>
        <translation>点测值</translation>
    </message>
    <message>
        <location filename="../../widgets/measure_words.py" line="23"/>
        <source>Arrow</source>
        <translation>箭头</translation>
    </message>
    <message>
        <location filename="../../widgets/measure_words.py" line="24"/>
        <source>Text</source>
        <translation>文字</translation>
    </message>
    <message>
        <location filename="../../widgets/measure_words.py" line="25"/>
        <source>Key image</source>
        <translation>关键图像</translation>
    </message>
    <message>
        <location filename="../../widgets/measure_words.py" line="26"/>
        <source>Calibrate (a known length)</source>
        <translation>校准（已知长度）</translation>
    </message>
    <message>
        <location filename="../../widgets/measure_words.py" line="34"/>
        <source>PixelSpacing</source>
        <translation>PixelSpacing（像素间距）</translation>
    </message>
    <message>
        <location filename="../../widgets/measure_words.py" line="36"/>
        <source>at detector (ImagerPixelSpacing)</source>
        <translation>探测器处（ImagerPixelSpacing）</translation>
    </message>
    <message>
        <location filename="../../widgets/measure_words.py" line="38"/>
        <source>at detector ÷ magnification %1</source>
        <translation>探测器处 ÷ 放大率 %1</translation>
    </message>
    <message>
        <location filename="../../widgets/measure_words.py" line="42"/>
        <source>ultrasound region %1</source>
        <translation>超声区域 %1</translation>
    </message>
    <message>
        <location filename="../../widgets/measure_words.py" line="46"/>
        <source>manual: %1 mm drawn</source>
        <translation>手动校准：所画 %1 mm</translation>
    </message>
    <message>
        <location filename="../../widgets/measure_words.py" line="50"/>
        <source>uncalibrated (px): outside the calibrated regions</source>
        <translation>未校准（像素）：不在校准区域内</translation>
    </message>
    <message>
        <location filename="../../widgets/measure_words.py" line="53"/>
        <source>uncalibrated (px): across ultrasound regions</source>
        <translation>未校准（像素）：跨超声区域</translation>
    </message>
    <message>
        <location filename="../../widgets/measure_words.py" line="56"/>
        <source>uncalibrated (px): the ultrasound regions do not fit the image</source>
        <translation>未校准（像素）：超声区域与图像尺寸不符</translation>
    </message>
    <message>
        <location filename="../../widgets/measure_words.py" line="62"/>
        <source>uncalibrated (px)</source>
        <translation>未校准（像素）</translation>
    </message>
    <message>
        <location filename="../../widgets/measure_words.py" line="100"/>
        <source>Area %1</source>
        <translation>面积 %1</translation>
    </message>
    <message>
        <location filename="../../widgets/measure_words.py" line="107"/>
        <source>Mean %1 SD %2</source>
        <translation>均值 %1 标准差 %2</translation>
    </message>
    <message>
        <location filename="../../widgets/measure_words.py" line="112"/>
        <source>Min %1 Max %2 · %3 px</source>
        <translation>最小 %1 最大 %2 · %3 像素</translation>
    </message>
    <message>
        <location filename="../../widgets/measure_words.py" line="120"/>
        <source>outside the image</source>
        <translation>图像外</translation>
    </message>
    <message>
        <location filename="../../widgets/measure_words.py" line="134"/>
        <source>★ Key image</source>
        <translation>★ 关键图像</translation>
    </message>
    <message>
        <location filename="../../widgets/measure_words.py" line="139"/>
        <source>Calibration: %1 mm</source>
        <translation>校准：%1 mm</translation>
    </message>
    <message>
        <location filename="../../widgets/measure_panel.py" line="36"/>
        <source>Measurements</source>
        <translation>测量列表</translation>
    </message>
    <message>
        <location filename="../../widgets/measure_panel.py" line="72"/>
        <source>series not open</source>
        <translation>序列未打开</translation>
    </message>
    <message>
        <location filename="../../widgets/measure_panel.py" line="76"/>
        <source>image %1</source>
        <translation>图像 %1</translation>
    </message>
    <message>
        <location filename="../../widgets/measure_drawing.py" line="124"/>
        <source>no value: points on one another</source>
        <translation>无数值：点重合</translation>
    </message>
    <message>
        <location filename="../../widgets/measure_drawing.py" line="130"/>
        <source>⚠ the report read back says %1</source>
        <translation>⚠ 读回的报告记为 %1</translation>
    </message>
    <message>
        <location filename="../../widgets/measure_crossings.py" line="57"/>
        <source>measured on image %1</source>
        <translation>测量于第 %1 幅图像</translation>
    </message>
</context>
<context>
    <name>PatientSection</name>
    <message>
        <location filename="../../widgets/patient_section.py" line="45"/>
        <source>Patient %1</source>
        <translation>患者 %1</translation>
    </message>
    <message>
        <location filename="../../widgets/patient_section.py" line="55"/>
        <source>⚠ %1 recent similar exams</source>
        <translation>⚠ %1 项近期相似检查</translation>
    </message>
    <message>
        <location filename="../../widgets/patient_section.py" line="61"/>
        <source>male</source>
        <translation>男</translation>
    </message>
    <message>
        <location filename="../../widgets/patient_section.py" line="61"/>
        <source>female</source>
        <translation>女</translation>
    </message>
    <message>
        <location filename="../../widgets/patient_section.py" line="61"/>
        <source>other</source>
        <translation>其他</translation>
    </message>
    <message>
        <location filename="../../widgets/patient_section.py" line="62"/>
        <source>sex unknown</source>
        <translation>性别不详</translation>
    </message>
    <message>
        <location filename="../../widgets/patient_section.py" line="65"/>
        <source>ID %1 · issuer %2 · born %3 · %4</source>
        <translation>ID %1 · 签发机构 %2 · 出生 %3 · %4</translation>
    </message>
    <message>
        <location filename="../../widgets/patient_section.py" line="67"/>
        <location filename="../../widgets/patient_section.py" line="68"/>
        <source>unknown</source>
        <translation>不详</translation>
    </message>
    <message>
        <location filename="../../widgets/patient_section.py" line="79"/>
        <source>Also known as: %1</source>
        <translation>其他ID：%1</translation>
    </message>
    <message>
        <location filename="../../widgets/patient_section.py" line="88"/>
        <source>%1 studies · %2 institutions</source>
        <translation>%1 项检查 · %2 家机构</translation>
    </message>
    <message>
        <location filename="../../widgets/patient_section.py" line="104"/>
        <source>no date</source>
        <translation>无日期</translation>
    </message>
</context>
<context>
    <name>PrefetchDialog</name>
    <message>
        <location filename="../../widgets/prefetch_dialog.py" line="55"/>
        <location filename="../../widgets/prefetch_dialog.py" line="71"/>
        <source>Prefetch worklist</source>
        <translation>预取工作列表</translation>
    </message>
    <message>
        <location filename="../../widgets/prefetch_dialog.py" line="77"/>
        <source>Brings each worklist patient&apos;s recent studies into the offline cache, so that the clinic can read them with a poor connection or none.</source>
        <translation>将工作列表中每位患者的近期检查下载到离线缓存，门诊在网络不佳或断网时也能阅片。</translation>
    </message>
    <message>
        <location filename="../../widgets/prefetch_dialog.py" line="108"/>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <location filename="../../widgets/prefetch_dialog.py" line="111"/>
        <source>Close</source>
        <translation>关闭</translation>
    </message>
    <message>
        <location filename="../../widgets/prefetch_dialog.py" line="150"/>
        <source>Worklist: %1</source>
        <translation>工作列表：%1</translation>
    </message>
    <message>
        <location filename="../../widgets/prefetch_dialog.py" line="151"/>
        <source>Reading the worklist…</source>
        <translation>正在读取工作列表…</translation>
    </message>
    <message>
        <location filename="../../widgets/prefetch_dialog.py" line="167"/>
        <source>Cancelling…</source>
        <translation>正在取消…</translation>
    </message>
    <message>
        <location filename="../../widgets/prefetch_dialog.py" line="181"/>
        <source>Prefetch: reading the worklist…</source>
        <translation>预取：正在读取工作列表…</translation>
    </message>
    <message>
        <location filename="../../widgets/prefetch_dialog.py" line="183"/>
        <source>Prefetch: opening sources…</source>
        <translation>预取：正在连接数据源…</translation>
    </message>
    <message>
        <location filename="../../widgets/prefetch_dialog.py" line="185"/>
        <source>Prefetch: patient %1 of %2</source>
        <translation>预取：第 %1 / %2 位患者</translation>
    </message>
    <message>
        <location filename="../../widgets/prefetch_dialog.py" line="203"/>
        <source>Opening sources…</source>
        <translation>正在连接数据源…</translation>
    </message>
    <message>
        <location filename="../../widgets/prefetch_dialog.py" line="211"/>
        <location filename="../../widgets/prefetch_dialog.py" line="261"/>
        <source>%1 patient(s) done</source>
        <translation>已完成 %1 位患者</translation>
    </message>
    <message>
        <location filename="../../widgets/prefetch_dialog.py" line="217"/>
        <source>Patient %1 of %2 (worklist line %3)</source>
        <translation>第 %1 / %2 位患者（工作列表第 %3 行）</translation>
    </message>
    <message>
        <location filename="../../widgets/prefetch_dialog.py" line="224"/>
        <source>Searching for the patient&apos;s studies…</source>
        <translation>正在查找该患者的检查…</translation>
    </message>
    <message>
        <location filename="../../widgets/prefetch_dialog.py" line="227"/>
        <source>no date</source>
        <translation>无日期</translation>
    </message>
    <message>
        <location filename="../../widgets/prefetch_dialog.py" line="229"/>
        <source>Study of %1: asking what it holds…</source>
        <translation>%1 的检查：正在查询内容…</translation>
    </message>
    <message>
        <location filename="../../widgets/prefetch_dialog.py" line="233"/>
        <source>Study of %1: %2/%3 images · %4 MB</source>
        <translation>%1 的检查：%2/%3 幅图像 · %4 MB</translation>
    </message>
    <message>
        <location filename="../../widgets/prefetch_dialog.py" line="271"/>
        <source>Prefetch cancelled after %1 of %2 patient(s). What arrived stays cached: run it again to resume.</source>
        <translation>预取已取消（已完成 %2 位患者中的 %1 位）。已下载的内容保留在缓存中：再次运行即可继续。</translation>
    </message>
    <message>
        <location filename="../../widgets/prefetch_dialog.py" line="281"/>
        <source>Prefetch failed: %1</source>
        <translation>预取失败：%1</translation>
    </message>
    <message>
        <location filename="../../widgets/prefetch_dialog.py" line="290"/>
        <source>No patient of this worklist is due from today to %1 day(s) ahead: nothing to fetch.</source>
        <translation>该工作列表中没有今天至 %1 天后就诊的患者：无需下载。</translation>
    </message>
    <message>
        <location filename="../../widgets/prefetch_dialog.py" line="298"/>
        <source>Prefetch finished: %1 patient(s), %2 stud(ies) selected: %3 already cached, %4 fetched (%5 images, %6 MB), %7 failed, %8 patient(s) not found.</source>
        <translation>预取完成：%1 位患者，选中 %2 项检查：%3 项已缓存，%4 项已下载（%5 幅图像，%6 MB），%7 项失败，%8 位患者未找到。</translation>
    </message>
    <message>
        <location filename="../../widgets/prefetch_dialog.py" line="312"/>
        <source>Run it again to fetch what is missing.</source>
        <translation>再次运行即可下载缺少的部分。</translation>
    </message>
    <message>
        <location filename="../../widgets/prefetch_dialog.py" line="314"/>
        <source>Not fetched: %1</source>
        <translation>未下载：%1</translation>
    </message>
    <message>
        <location filename="../../widgets/prefetch_dialog.py" line="315"/>
        <source>Source problem: %1</source>
        <translation>数据源问题：%1</translation>
    </message>
    <message>
        <location filename="../../widgets/prefetch_dialog.py" line="317"/>
        <source>Worklist line %1: no study found</source>
        <translation>工作列表第 %1 行：未找到检查</translation>
    </message>
</context>
<context>
    <name>PriorComparer</name>
    <message>
        <location filename="../../widgets/compare_prior.py" line="76"/>
        <source>Search the patient&apos;s history first: the prior is chosen from it</source>
        <translation>请先检索患者的影像历史：既往检查从中选取</translation>
    </message>
    <message>
        <location filename="../../widgets/compare_prior.py" line="80"/>
        <source>No earlier study of this kind in this patient&apos;s history</source>
        <translation>该患者的影像历史中没有更早的同类检查</translation>
    </message>
    <message>
        <location filename="../../widgets/compare_prior.py" line="89"/>
        <source>The prior&apos;s series cannot be listed: %1</source>
        <translation>无法列出既往检查的序列：%1</translation>
    </message>
    <message>
        <location filename="../../widgets/compare_prior.py" line="93"/>
        <source>Finding the prior&apos;s matching series…</source>
        <translation>正在查找既往检查中对应的序列…</translation>
    </message>
    <message>
        <location filename="../../widgets/compare_prior.py" line="107"/>
        <source>The prior has no %1 series to compare with</source>
        <translation>既往检查中没有可对比的 %1 序列</translation>
    </message>
    <message>
        <location filename="../../widgets/compare_prior.py" line="113"/>
        <source>Prior: %1, %2</source>
        <translation>既往检查：%1，%2</translation>
    </message>
</context>
<context>
    <name>ReadingHelp</name>
    <message>
        <location filename="../../widgets/reading_help.py" line="28"/>
        <source>Right-drag</source>
        <translation>右键拖动</translation>
    </message>
    <message>
        <location filename="../../widgets/reading_help.py" line="29"/>
        <source>Window: left/right narrower/wider, up/down level higher/lower</source>
        <translation>调窗：左右拖动减小/增大窗宽，上下拖动升高/降低窗位</translation>
    </message>
    <message>
        <location filename="../../widgets/reading_help.py" line="35"/>
        <source>Window presets. CT: brain, subdural, stroke, lung, mediastinum, abdomen, liver, bone. Other modalities: the file&apos;s own windows</source>
        <translation>预设窗宽/窗位。CT：脑窗、硬膜下窗、卒中窗、肺窗、纵隔窗、腹窗、肝窗、骨窗。其他模态：文件自带的窗宽/窗位</translation>
    </message>
    <message>
        <location filename="../../widgets/reading_help.py" line="43"/>
        <source>Auto window (1st–99th percentile of this image)</source>
        <translation>自动窗宽/窗位（本图像第 1–99 百分位）</translation>
    </message>
    <message>
        <location filename="../../widgets/reading_help.py" line="47"/>
        <source>The file&apos;s own window again</source>
        <translation>恢复文件自带的窗宽/窗位</translation>
    </message>
    <message>
        <location filename="../../widgets/reading_help.py" line="48"/>
        <source>Invert the grey scale</source>
        <translation>灰阶反相</translation>
    </message>
    <message>
        <location filename="../../widgets/reading_help.py" line="50"/>
        <source>Wheel, ↑ ↓ ← →, left-drag</source>
        <translation>滚轮、↑ ↓ ← →、左键拖动</translation>
    </message>
    <message>
        <location filename="../../widgets/reading_help.py" line="51"/>
        <source>Previous / next image</source>
        <translation>上一幅 / 下一幅图像</translation>
    </message>
    <message>
        <location filename="../../widgets/reading_help.py" line="53"/>
        <source>10 images back / on</source>
        <translation>后退 / 前进 10 幅图像</translation>
    </message>
    <message>
        <location filename="../../widgets/reading_help.py" line="54"/>
        <source>First / last image</source>
        <translation>第一幅 / 最后一幅图像</translation>
    </message>
    <message>
        <location filename="../../widgets/reading_help.py" line="56"/>
        <source>Space</source>
        <translation>空格</translation>
    </message>
    <message>
        <location filename="../../widgets/reading_help.py" line="57"/>
        <source>Cine: play / pause, looping</source>
        <translation>电影播放：播放 / 暂停（循环）</translation>
    </message>
    <message>
        <location filename="../../widgets/reading_help.py" line="59"/>
        <source>Cine faster / slower (1–60 fps)</source>
        <translation>电影播放加快 / 减慢（1–60 帧/秒）</translation>
    </message>
    <message>
        <location filename="../../widgets/reading_help.py" line="61"/>
        <source>Ctrl+wheel, Ctrl+left-drag</source>
        <translation>Ctrl+滚轮、Ctrl+左键拖动</translation>
    </message>
    <message>
        <location filename="../../widgets/reading_help.py" line="62"/>
        <source>Zoom (wheel away or drag up: closer)</source>
        <translation>缩放（滚轮向前或向上拖动：放大）</translation>
    </message>
    <message>
        <location filename="../../widgets/reading_help.py" line="65"/>
        <source>Middle-drag, Shift+left-drag</source>
        <translation>中键拖动、Shift+左键拖动</translation>
    </message>
    <message>
        <location filename="../../widgets/reading_help.py" line="66"/>
        <source>Pan</source>
        <translation>平移</translation>
    </message>
    <message>
        <location filename="../../widgets/reading_help.py" line="68"/>
        <source>Fit the image to the viewport</source>
        <translation>图像适应窗口</translation>
    </message>
    <message>
        <location filename="../../widgets/reading_help.py" line="69"/>
        <source>1:1, one image pixel per screen pixel</source>
        <translation>1:1，一个图像像素对应一个屏幕像素</translation>
    </message>
    <message>
        <location filename="../../widgets/reading_help.py" line="72"/>
        <source>Rotate 90° clockwise / anticlockwise</source>
        <translation>顺时针 / 逆时针旋转 90°</translation>
    </message>
    <message>
        <location filename="../../widgets/reading_help.py" line="74"/>
        <source>Flip left-right / upside down</source>
        <translation>左右翻转 / 上下翻转</translation>
    </message>
    <message>
        <location filename="../../widgets/reading_help.py" line="76"/>
        <source>Backspace</source>
        <translation>退格键</translation>
    </message>
    <message>
        <location filename="../../widgets/reading_help.py" line="77"/>
        <source>Reset: upright, fitted, the file&apos;s window, not inverted</source>
        <translation>复位：恢复正向、适合窗口、文件自带窗宽窗位、取消反相</translation>
    </message>
    <message>
        <location filename="../../widgets/reading_help.py" line="83"/>
        <source>Layout: 1×1, 1×2 side by side, 2×1 one above the other, 2×2, 3×3</source>
        <translation>布局：1×1、1×2 左右并排、2×1 上下排列、2×2、3×3</translation>
    </message>
    <message>
        <location filename="../../widgets/reading_help.py" line="88"/>
        <source>Click, Tab / Shift+Tab</source>
        <translation>单击、Tab / Shift+Tab</translation>
    </message>
    <message>
        <location filename="../../widgets/reading_help.py" line="89"/>
        <source>Choose the viewport a series opens in</source>
        <translation>选择序列打开所在的视窗</translation>
    </message>
    <message>
        <location filename="../../widgets/reading_help.py" line="93"/>
        <source>Link scrolling on / off. Within one study the viewports follow by position; to link a prior, bring it to the same level first, then L twice</source>
        <translation>联动翻页开 / 关。同一检查内各视窗按位置联动；要联动既往检查，先把它翻到同一层面，再按两次 L</translation>
    </message>
    <message>
        <location filename="../../widgets/reading_help.py" line="101"/>
        <source>MPR on / off: the series&apos; own plane and two reformats, one point shared (click a plane to move it)</source>
        <translation>MPR 开 / 关：本序列的原始平面和两个重建平面，共用一个定位点（单击任一平面移动定位点）</translation>
    </message>
    <message>
        <location filename="../../widgets/reading_help.py" line="109"/>
        <source>Compare with prior: the nearest earlier study of this kind, from any hospital, beside this one</source>
        <translation>与既往检查对比：把最近一次更早的同类检查（任何医院）并排显示</translation>
    </message>
    <message>
        <location filename="../../widgets/reading_help.py" line="117"/>
        <source>Measure a distance / a polyline (double-click ends it)</source>
        <translation>测量距离 / 折线（双击结束）</translation>
    </message>
    <message>
        <location filename="../../widgets/reading_help.py" line="123"/>
        <source>Angle / Cobb angle / long and short axis</source>
        <translation>角度 / Cobb 角 / 长短径</translation>
    </message>
    <message>
        <location filename="../../widgets/reading_help.py" line="127"/>
        <source>Calibrate: draw a line of known length, give its length in mm</source>
        <translation>校准：画一条已知长度的线段，输入其长度（mm）</translation>
    </message>
    <message>
        <location filename="../../widgets/reading_help.py" line="133"/>
        <source>Rectangle / ellipse / freehand region: area, mean, SD, min, max</source>
        <translation>矩形 / 椭圆 / 手绘区域：面积、均值、标准差、最小、最大</translation>
    </message>
    <message>
        <location filename="../../widgets/reading_help.py" line="139"/>
        <source>Probe a value / an arrow / a note</source>
        <translation>点测值 / 箭头 / 注释</translation>
    </message>
    <message>
        <location filename="../../widgets/reading_help.py" line="141"/>
        <source>Mark the image a key image, or not</source>
        <translation>标记 / 取消关键图像</translation>
    </message>
    <message>
        <location filename="../../widgets/reading_help.py" line="144"/>
        <source>Remove the selected measurement (drag a point to move it)</source>
        <translation>删除所选测量（拖动端点可移动）</translation>
    </message>
    <message>
        <location filename="../../widgets/reading_help.py" line="150"/>
        <source>Undo / redo a measurement&apos;s change</source>
        <translation>撤销 / 重做测量的修改</translation>
    </message>
    <message>
        <location filename="../../widgets/reading_help.py" line="152"/>
        <source>This help</source>
        <translation>本帮助</translation>
    </message>
    <message>
        <location filename="../../widgets/reading_help.py" line="155"/>
        <source>Back to the imaging history; the images stay open (F2 returns to them)</source>
        <translation>回到影像历史；图像保持打开（F2 回到图像）</translation>
    </message>
    <message>
        <location filename="../../widgets/reading_help.py" line="170"/>
        <source>Reading view: keys and mouse</source>
        <translation>阅片：快捷键与鼠标操作</translation>
    </message>
    <message>
        <location filename="../../widgets/reading_help.py" line="174"/>
        <source>Key or gesture</source>
        <translation>按键或鼠标操作</translation>
    </message>
    <message>
        <location filename="../../widgets/reading_help.py" line="174"/>
        <source>Does</source>
        <translation>功能</translation>
    </message>
    <message>
        <location filename="../../widgets/reading_help.py" line="186"/>
        <source>Esc, ? or F1 closes this panel.</source>
        <translation>按 Esc、? 或 F1 关闭本面板。</translation>
    </message>
</context>
<context>
    <name>ReadingView</name>
    <message>
        <location filename="../../widgets/reading_overlay.py" line="32"/>
        <source>unknown</source>
        <translation>不详</translation>
    </message>
    <message>
        <location filename="../../widgets/reading_overlay.py" line="34"/>
        <source>male</source>
        <translation>男</translation>
    </message>
    <message>
        <location filename="../../widgets/reading_overlay.py" line="35"/>
        <source>female</source>
        <translation>女</translation>
    </message>
    <message>
        <location filename="../../widgets/reading_overlay.py" line="39"/>
        <source>ID %1 (%2)</source>
        <translation>ID %1（%2）</translation>
    </message>
    <message>
        <location filename="../../widgets/reading_overlay.py" line="41"/>
        <source>no issuer</source>
        <translation>无签发机构</translation>
    </message>
    <message>
        <location filename="../../widgets/reading_overlay.py" line="49"/>
        <source>Series %1</source>
        <translation>序列 %1</translation>
    </message>
    <message>
        <location filename="../../widgets/reading_overlay.py" line="54"/>
        <source>Image %1 / %2</source>
        <translation>图像 %1 / %2</translation>
    </message>
    <message>
        <location filename="../../widgets/reading_overlay.py" line="60"/>
        <source>▶ Cine %1 fps</source>
        <translation>▶ 电影播放 %1 帧/秒</translation>
    </message>
    <message>
        <location filename="../../widgets/reading_overlay.py" line="74"/>
        <source>Location %1 mm · thickness %2 mm</source>
        <translation>位置 %1 mm · 层厚 %2 mm</translation>
    </message>
    <message>
        <location filename="../../widgets/reading_overlay.py" line="80"/>
        <source>Colour</source>
        <translation>彩色</translation>
    </message>
    <message>
        <location filename="../../widgets/reading_overlay.py" line="83"/>
        <source>W %1  L %2</source>
        <translation>窗宽 %1  窗位 %2</translation>
    </message>
    <message>
        <location filename="../../widgets/reading_overlay.py" line="88"/>
        <source>VOI LUT of the file</source>
        <translation>文件自带 VOI LUT</translation>
    </message>
    <message>
        <location filename="../../widgets/reading_overlay.py" line="89"/>
        <source>Zoom %1</source>
        <translation>缩放 %1</translation>
    </message>
    <message>
        <location filename="../../widgets/reading_overlay.py" line="94"/>
        <source>Inverted</source>
        <translation>反相</translation>
    </message>
    <message>
        <location filename="../../widgets/reading_overlay.py" line="107"/>
        <source>Auto window (1–99 %)</source>
        <translation>自动窗（1–99%）</translation>
    </message>
    <message>
        <location filename="../../widgets/reading_overlay.py" line="109"/>
        <source>Window %1 of the file</source>
        <translation>文件自带窗 %1</translation>
    </message>
    <message>
        <location filename="../../widgets/reading_overlay.py" line="113"/>
        <source>Brain window</source>
        <translation>脑窗</translation>
    </message>
    <message>
        <location filename="../../widgets/reading_overlay.py" line="114"/>
        <source>Subdural window</source>
        <translation>硬膜下窗</translation>
    </message>
    <message>
        <location filename="../../widgets/reading_overlay.py" line="115"/>
        <source>Stroke window</source>
        <translation>卒中窗</translation>
    </message>
    <message>
        <location filename="../../widgets/reading_overlay.py" line="116"/>
        <source>Lung window</source>
        <translation>肺窗</translation>
    </message>
    <message>
        <location filename="../../widgets/reading_overlay.py" line="117"/>
        <source>Mediastinum window</source>
        <translation>纵隔窗</translation>
    </message>
    <message>
        <location filename="../../widgets/reading_overlay.py" line="118"/>
        <source>Abdomen window</source>
        <translation>腹窗</translation>
    </message>
    <message>
        <location filename="../../widgets/reading_overlay.py" line="119"/>
        <source>Liver window</source>
        <translation>肝窗</translation>
    </message>
    <message>
        <location filename="../../widgets/reading_overlay.py" line="120"/>
        <source>Bone window</source>
        <translation>骨窗</translation>
    </message>
    <message>
        <location filename="../../widgets/reading_overlay.py" line="128"/>
        <source>images without a position</source>
        <translation>部分图像无位置信息</translation>
    </message>
    <message>
        <location filename="../../widgets/reading_overlay.py" line="131"/>
        <source>no pixel spacing: distances are not real</source>
        <translation>无像素间距：距离不是真实值</translation>
    </message>
    <message>
        <location filename="../../widgets/reading_overlay.py" line="134"/>
        <source>missing slices (gap %1 mm)</source>
        <translation>缺层（间隙 %1 mm）</translation>
    </message>
    <message>
        <location filename="../../widgets/reading_overlay.py" line="137"/>
        <source>uneven slice spacing</source>
        <translation>层间距不均匀</translation>
    </message>
    <message>
        <location filename="../../widgets/reading_overlay.py" line="140"/>
        <source>gantry tilt %1°</source>
        <translation>机架倾斜 %1°</translation>
    </message>
    <message>
        <location filename="../../widgets/reading_overlay.py" line="141"/>
        <source>two images at one position</source>
        <translation>同一位置有两幅图像</translation>
    </message>
    <message>
        <location filename="../../widgets/reading_overlay.py" line="144"/>
        <source>images of other orientations left out</source>
        <translation>已略去其他方向的图像</translation>
    </message>
    <message>
        <location filename="../../widgets/reading_overlay.py" line="147"/>
        <source>images of another size left out</source>
        <translation>已略去其他尺寸的图像</translation>
    </message>
    <message>
        <location filename="../../widgets/reading_overlay.py" line="150"/>
        <source>images of another frame of reference left out</source>
        <translation>已略去其他参考坐标系的图像</translation>
    </message>
    <message>
        <location filename="../../widgets/reading_overlay.py" line="182"/>
        <source>ultrasound regions do not fit the image: distances are not real</source>
        <translation>超声区域与图像尺寸不符：距离不真实</translation>
    </message>
    <message>
        <location filename="../../widgets/reading_overlay.py" line="217"/>
        <source>uncalibrated</source>
        <translation>未校准</translation>
    </message>
    <message>
        <location filename="../../widgets/reading_overlay.py" line="228"/>
        <source>%1 mm at detector</source>
        <translation>%1 mm（探测器处）</translation>
    </message>
    <message>
        <location filename="../../widgets/reading_overlay.py" line="231"/>
        <source>%1 mm at detector ÷ magnification %2</source>
        <translation>%1 mm（探测器处 ÷ 放大率 %2）</translation>
    </message>
    <message>
        <location filename="../../widgets/reading_overlay.py" line="235"/>
        <source>%1 mm (ultrasound region)</source>
        <translation>%1 mm（超声区域）</translation>
    </message>
    <message>
        <location filename="../../widgets/reading_overlay.py" line="237"/>
        <source>%1 mm (manual calibration)</source>
        <translation>%1 mm（手动校准）</translation>
    </message>
    <message>
        <location filename="../../widgets/reading_overlay.py" line="239"/>
        <source>%1 mm</source>
        <translation>%1 mm</translation>
    </message>
    <message>
        <location filename="../../widgets/reading_overlay.py" line="276"/>
        <source>Axial %1 / %2</source>
        <translation>横断位 %1 / %2</translation>
    </message>
    <message>
        <location filename="../../widgets/reading_overlay.py" line="277"/>
        <source>Coronal %1 / %2</source>
        <translation>冠状位 %1 / %2</translation>
    </message>
    <message>
        <location filename="../../widgets/reading_overlay.py" line="278"/>
        <source>Sagittal %1 / %2</source>
        <translation>矢状位 %1 / %2</translation>
    </message>
    <message>
        <location filename="../../widgets/reading_overlay.py" line="290"/>
        <source>Image %1 cannot be shown: %2</source>
        <translation>图像 %1 无法显示：%2</translation>
    </message>
    <message>
        <location filename="../../widgets/reading_overlay.py" line="296"/>
        <source>Image %1 not yet received</source>
        <translation>图像 %1 尚未收到</translation>
    </message>
    <message>
        <location filename="../../widgets/reading_bar.py" line="25"/>
        <source>← History</source>
        <translation>← 影像历史</translation>
    </message>
    <message>
        <location filename="../../widgets/reading_bar.py" line="27"/>
        <source>Back to the imaging history (Esc)</source>
        <translation>返回影像历史（Esc）</translation>
    </message>
    <message>
        <location filename="../../widgets/reading_bar.py" line="48"/>
        <source>One viewport (Ctrl+1)</source>
        <translation>单视窗（Ctrl+1）</translation>
    </message>
    <message>
        <location filename="../../widgets/reading_bar.py" line="49"/>
        <source>Two side by side (Ctrl+2)</source>
        <translation>左右两个视窗（Ctrl+2）</translation>
    </message>
    <message>
        <location filename="../../widgets/reading_bar.py" line="50"/>
        <source>Two, one above the other (Ctrl+3)</source>
        <translation>上下两个视窗（Ctrl+3）</translation>
    </message>
    <message>
        <location filename="../../widgets/reading_bar.py" line="51"/>
        <source>Four viewports (Ctrl+4)</source>
        <translation>四个视窗（Ctrl+4）</translation>
    </message>
    <message>
        <location filename="../../widgets/reading_bar.py" line="52"/>
        <source>Nine viewports (Ctrl+9)</source>
        <translation>九个视窗（Ctrl+9）</translation>
    </message>
    <message>
        <location filename="../../widgets/reading_bar.py" line="61"/>
        <source>Link</source>
        <translation>联动</translation>
    </message>
    <message>
        <location filename="../../widgets/reading_bar.py" line="66"/>
        <source>Scroll the viewports together by position (L). Turned on, it links the images now on screen, across studies too: line up a prior first.</source>
        <translation>各视窗按位置联动翻页（L）。打开时以当前显示的图像为准联动，跨检查也可：先把既往检查对齐到同一层面。</translation>
    </message>
    <message>
        <location filename="../../widgets/reading_bar.py" line="74"/>
        <source>MPR</source>
        <translation>MPR</translation>
    </message>
    <message>
        <location filename="../../widgets/reading_bar.py" line="78"/>
        <source>Axial, coronal and sagittal planes of this series, one point shared (M)</source>
        <translation>本序列的横断、冠状、矢状三个平面，共用一个定位点（M）</translation>
    </message>
    <message>
        <location filename="../../widgets/reading_bar.py" line="84"/>
        <source>Prior</source>
        <translation>既往对比</translation>
    </message>
    <message>
        <location filename="../../widgets/reading_bar.py" line="87"/>
        <source>Compare with prior (P): the nearest earlier study of this kind, from any hospital, beside this one</source>
        <translation>与既往检查对比（P）：把最近一次更早的同类检查（任何医院）并排显示</translation>
    </message>
    <message>
        <location filename="../../widgets/reading_view.py" line="190"/>
        <source>MPR once every image of the series is here</source>
        <translation>序列的全部图像到齐后才能 MPR</translation>
    </message>
    <message>
        <location filename="../../widgets/reading_view.py" line="193"/>
        <source>MPR needs a grey-scale stack of several slices placed in the patient</source>
        <translation>MPR 需要多层、带患者空间位置的灰阶序列</translation>
    </message>
    <message>
        <location filename="../../widgets/reading_view.py" line="369"/>
        <source>⚠ Different patients in this layout: %1</source>
        <translation>⚠ 此布局中有不同的患者：%1</translation>
    </message>
</context>
<context>
    <name>SearchPanel</name>
    <message>
        <location filename="../../widgets/search_panel.py" line="51"/>
        <source>Patient ID</source>
        <translation>患者ID</translation>
    </message>
    <message>
        <location filename="../../widgets/search_panel.py" line="53"/>
        <source>any registry</source>
        <translation>任意签发机构</translation>
    </message>
    <message>
        <location filename="../../widgets/search_panel.py" line="57"/>
        <source>Which registry issued the patient ID (IssuerOfPatientID)</source>
        <translation>患者ID的签发机构（IssuerOfPatientID）</translation>
    </message>
    <message>
        <location filename="../../widgets/search_panel.py" line="59"/>
        <source>Name: Wang XiaoDong or 王小东</source>
        <translation>姓名：Wang XiaoDong 或 王小东</translation>
    </message>
    <message>
        <location filename="../../widgets/search_panel.py" line="60"/>
        <source>Birth date YYYYMMDD</source>
        <translation>出生日期 YYYYMMDD</translation>
    </message>
    <message>
        <location filename="../../widgets/search_panel.py" line="63"/>
        <source>any sex</source>
        <translation>任意性别</translation>
    </message>
    <message>
        <location filename="../../widgets/search_panel.py" line="64"/>
        <source>male</source>
        <translation>男</translation>
    </message>
    <message>
        <location filename="../../widgets/search_panel.py" line="65"/>
        <source>female</source>
        <translation>女</translation>
    </message>
    <message>
        <location filename="../../widgets/search_panel.py" line="66"/>
        <source>other</source>
        <translation>其他</translation>
    </message>
    <message>
        <location filename="../../widgets/search_panel.py" line="70"/>
        <source>any modality</source>
        <translation>任意检查类型</translation>
    </message>
    <message>
        <location filename="../../widgets/search_panel.py" line="73"/>
        <source>Studies from YYYYMMDD</source>
        <translation>检查日期自 YYYYMMDD</translation>
    </message>
    <message>
        <location filename="../../widgets/search_panel.py" line="74"/>
        <source>to YYYYMMDD</source>
        <translation>至 YYYYMMDD</translation>
    </message>
    <message>
        <location filename="../../widgets/search_panel.py" line="75"/>
        <source>Accession number</source>
        <translation>检查号</translation>
    </message>
    <message>
        <location filename="../../widgets/search_panel.py" line="92"/>
        <source>Search</source>
        <translation>检索</translation>
    </message>
    <message>
        <location filename="../../widgets/search_panel.py" line="94"/>
        <source>Search every source (Enter)</source>
        <translation>检索所有数据源（Enter）</translation>
    </message>
    <message>
        <location filename="../../widgets/search_panel.py" line="96"/>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <location filename="../../widgets/search_panel.py" line="97"/>
        <source>Stop the search (Esc)</source>
        <translation>停止检索（Esc）</translation>
    </message>
    <message>
        <location filename="../../widgets/search_panel.py" line="176"/>
        <source>Searching every source…</source>
        <translation>正在检索所有数据源…</translation>
    </message>
</context>
<context>
    <name>SeriesPanel</name>
    <message>
        <location filename="../../widgets/series_view.py" line="76"/>
        <source>Asking for the series…</source>
        <translation>正在查询序列…</translation>
    </message>
    <message>
        <location filename="../../widgets/series_view.py" line="202"/>
        <source>No series known: no source could be asked, and the offline cache holds none of this study.</source>
        <translation>序列未知：无法连接任何数据源，离线缓存中也没有该检查。</translation>
    </message>
    <message>
        <location filename="../../widgets/series_view.py" line="206"/>
        <source>The source lists no series for this study.</source>
        <translation>数据源未列出该检查的任何序列。</translation>
    </message>
    <message>
        <location filename="../../widgets/series_view.py" line="209"/>
        <source>From the offline cache: no source could be asked.</source>
        <translation>来自离线缓存：无法连接任何数据源。</translation>
    </message>
    <message>
        <location filename="../../widgets/series_view.py" line="212"/>
        <source>%1 more image(s) in series the cache holds nothing of yet.</source>
        <translation>另有 %1 幅图像属于缓存中尚无任何内容的序列。</translation>
    </message>
</context>
<context>
    <name>SeriesTile</name>
    <message>
        <location filename="../../widgets/series_tile.py" line="72"/>
        <source>%1 · series %2</source>
        <translation>%1 · 序列 %2</translation>
    </message>
    <message>
        <location filename="../../widgets/series_tile.py" line="76"/>
        <source>(no description)</source>
        <translation>（无描述）</translation>
    </message>
    <message>
        <location filename="../../widgets/series_tile.py" line="80"/>
        <source>%1 image(s)</source>
        <translation>%1 幅图像</translation>
    </message>
    <message>
        <location filename="../../widgets/series_tile.py" line="112"/>
        <source>cached</source>
        <translation>已缓存</translation>
    </message>
    <message>
        <location filename="../../widgets/series_tile.py" line="113"/>
        <source>partial %1</source>
        <translation>部分 %1</translation>
    </message>
    <message>
        <location filename="../../widgets/series_tile.py" line="114"/>
        <source>↓ %1</source>
        <translation>下载中 %1</translation>
    </message>
    <message>
        <location filename="../../widgets/series_tile.py" line="115"/>
        <source>queued %1</source>
        <translation>排队 %1</translation>
    </message>
    <message>
        <location filename="../../widgets/series_tile.py" line="116"/>
        <source>failed %1</source>
        <translation>失败 %1</translation>
    </message>
    <message>
        <location filename="../../widgets/series_tile.py" line="117"/>
        <source>not cached</source>
        <translation>未缓存</translation>
    </message>
    <message>
        <location filename="../../widgets/series_tile.py" line="164"/>
        <source>Double-click: read this series</source>
        <translation>双击：阅读此序列</translation>
    </message>
    <message>
        <location filename="../../widgets/series_tile.py" line="112"/>
        <source>In the offline cache</source>
        <translation>已在离线缓存中</translation>
    </message>
    <message>
        <location filename="../../widgets/series_tile.py" line="113"/>
        <source>Partly in the offline cache: %1 images</source>
        <translation>部分在离线缓存中：%1 幅图像</translation>
    </message>
    <message>
        <location filename="../../widgets/series_tile.py" line="114"/>
        <source>Downloading: %1 images cached</source>
        <translation>正在下载：已缓存 %1 幅图像</translation>
    </message>
    <message>
        <location filename="../../widgets/series_tile.py" line="115"/>
        <source>Waiting to download: %1 images cached</source>
        <translation>等待下载：已缓存 %1 幅图像</translation>
    </message>
    <message>
        <location filename="../../widgets/series_tile.py" line="116"/>
        <source>Download failed: %1 images cached</source>
        <translation>下载失败：已缓存 %1 幅图像</translation>
    </message>
    <message>
        <location filename="../../widgets/series_tile.py" line="117"/>
        <source>Not in the offline cache</source>
        <translation>不在离线缓存中</translation>
    </message>
    <message>
        <location filename="../../widgets/series_tile.py" line="160"/>
        <source>No thumbnail: %1</source>
        <translation>无缩略图：%1</translation>
    </message>
    <message>
        <location filename="../../widgets/series_tile.py" line="162"/>
        <source>Double-click: fetch this series first</source>
        <translation>双击：优先下载此序列</translation>
    </message>
</context>
<context>
    <name>SourceProblem</name>
    <message>
        <location filename="../../widgets/problem_words.py" line="22"/>
        <source>no system keyring to read the password from</source>
        <translation>无系统钥匙串，无法读取密码</translation>
    </message>
    <message>
        <location filename="../../widgets/problem_words.py" line="25"/>
        <source>not signed in</source>
        <translation>未登录</translation>
    </message>
    <message>
        <location filename="../../widgets/problem_words.py" line="26"/>
        <source>sign-in refused</source>
        <translation>登录被拒绝</translation>
    </message>
    <message>
        <location filename="../../widgets/problem_words.py" line="28"/>
        <source>certificate not trusted</source>
        <translation>证书不受信任</translation>
    </message>
    <message>
        <location filename="../../widgets/problem_words.py" line="29"/>
        <source>server error</source>
        <translation>服务器错误</translation>
    </message>
    <message>
        <location filename="../../widgets/problem_words.py" line="30"/>
        <source>cannot be reached</source>
        <translation>无法连接</translation>
    </message>
    <message>
        <location filename="../../widgets/problem_words.py" line="31"/>
        <source>search failed</source>
        <translation>检索失败</translation>
    </message>
</context>
<context>
    <name>SourceRow</name>
    <message>
        <location filename="../../widgets/sources_dock.py" line="64"/>
        <source>Sign in…</source>
        <translation>登录…</translation>
    </message>
    <message>
        <location filename="../../widgets/sources_dock.py" line="68"/>
        <source>Sign out</source>
        <translation>退出登录</translation>
    </message>
</context>
<context>
    <name>SsoDialog</name>
    <message>
        <location filename="../../widgets/sso_dialog.py" line="52"/>
        <source>Sign in — %1</source>
        <translation>登录 — %1</translation>
    </message>
    <message>
        <location filename="../../widgets/sso_dialog.py" line="57"/>
        <source>Sign in to %1</source>
        <translation>登录 %1</translation>
    </message>
    <message>
        <location filename="../../widgets/sso_dialog.py" line="59"/>
        <source>through %1</source>
        <translation>通过 %1 统一身份认证</translation>
    </message>
    <message>
        <location filename="../../widgets/sso_dialog.py" line="67"/>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
</context>
<context>
    <name>SsoPanel</name>
    <message>
        <location filename="../../widgets/sso_dialog.py" line="112"/>
        <source>Sign in with the browser</source>
        <translation>在浏览器中登录</translation>
    </message>
    <message>
        <location filename="../../widgets/sso_dialog.py" line="115"/>
        <source>Sign in on another device…</source>
        <translation>在其他设备上登录…</translation>
    </message>
    <message>
        <location filename="../../widgets/sso_dialog.py" line="163"/>
        <source>Opening the sign-in page of %1 in the browser…</source>
        <translation>正在浏览器中打开 %1 的登录页面…</translation>
    </message>
    <message>
        <location filename="../../widgets/sso_dialog.py" line="172"/>
        <source>Asking %1 for a code…</source>
        <translation>正在向 %1 申请验证码…</translation>
    </message>
    <message>
        <location filename="../../widgets/sso_dialog.py" line="188"/>
        <source>Finish signing in on the page of %1 in the browser. If no browser opened, open this link:</source>
        <translation>请在浏览器中的 %1 页面完成登录。如果浏览器没有打开，请打开此链接：</translation>
    </message>
    <message>
        <location filename="../../widgets/sso_dialog.py" line="196"/>
        <source>On a phone or another computer, open %2 and enter this code:</source>
        <translation>请在手机或其他电脑上打开 %2，并输入以下验证码：</translation>
    </message>
    <message>
        <location filename="../../widgets/sso_dialog.py" line="236"/>
        <source>The sign-in did not complete: %1</source>
        <translation>登录未完成：%1</translation>
    </message>
</context>
<context>
    <name>StudyCard</name>
    <message>
        <location filename="../../widgets/study_card.py" line="57"/>
        <source>Double-click: read this study</source>
        <translation>双击：阅读此检查</translation>
    </message>
    <message>
        <location filename="../../widgets/study_card.py" line="70"/>
        <source>(no description)</source>
        <translation>（无描述）</translation>
    </message>
    <message>
        <location filename="../../widgets/study_card.py" line="74"/>
        <location filename="../../widgets/study_card.py" line="295"/>
        <source>institution unknown</source>
        <translation>机构不详</translation>
    </message>
    <message>
        <location filename="../../widgets/study_card.py" line="81"/>
        <source>Sources:</source>
        <translation>数据源：</translation>
    </message>
    <message>
        <location filename="../../widgets/study_card.py" line="129"/>
        <source>Series (%1)</source>
        <translation>序列（%1）</translation>
    </message>
    <message>
        <location filename="../../widgets/study_card.py" line="131"/>
        <source>Series</source>
        <translation>序列</translation>
    </message>
    <message>
        <location filename="../../widgets/study_card.py" line="154"/>
        <source>Show the series: a thumbnail and the offline cache state of each</source>
        <translation>显示序列：每个序列的缩略图和离线缓存状态</translation>
    </message>
    <message>
        <location filename="../../widgets/study_card.py" line="158"/>
        <source>Download</source>
        <translation>下载</translation>
    </message>
    <message>
        <location filename="../../widgets/study_card.py" line="161"/>
        <source>Fetch this study into the offline cache (only what is still missing)</source>
        <translation>将此检查下载到离线缓存（只下载尚缺的部分）</translation>
    </message>
    <message>
        <location filename="../../widgets/study_card.py" line="168"/>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <location filename="../../widgets/study_card.py" line="170"/>
        <source>Sign in…</source>
        <translation>登录…</translation>
    </message>
    <message>
        <location filename="../../widgets/study_card.py" line="219"/>
        <source>Download cancelled; what arrived stays cached.</source>
        <translation>下载已取消；已下载的部分保留在缓存中。</translation>
    </message>
    <message>
        <location filename="../../widgets/study_card.py" line="223"/>
        <source>What arrived stays cached: download again to resume.</source>
        <translation>已下载的部分保留在缓存中：再次下载即可继续。</translation>
    </message>
    <message>
        <location filename="../../widgets/study_card.py" line="230"/>
        <source>Downloaded %1 image(s), %2 MB</source>
        <translation>已下载 %1 幅图像，%2 MB</translation>
    </message>
    <message>
        <location filename="../../widgets/study_card.py" line="238"/>
        <source>%1 image(s) could not be fetched: download again to resume.</source>
        <translation>%1 幅图像未能下载：再次下载即可继续。</translation>
    </message>
    <message>
        <location filename="../../widgets/study_card.py" line="253"/>
        <source>Waiting to download…</source>
        <translation>等待下载…</translation>
    </message>
    <message>
        <location filename="../../widgets/study_card.py" line="255"/>
        <source>Asking what the study holds…</source>
        <translation>正在查询检查内容…</translation>
    </message>
    <message>
        <location filename="../../widgets/study_card.py" line="257"/>
        <source>Downloading: %1/%2 images · %3 MB</source>
        <translation>正在下载：%1/%2 幅图像 · %3 MB</translation>
    </message>
    <message>
        <location filename="../../widgets/study_card.py" line="265"/>
        <source>cached offline</source>
        <translation>已离线缓存</translation>
    </message>
    <message>
        <location filename="../../widgets/study_card.py" line="266"/>
        <source>partly cached</source>
        <translation>部分缓存</translation>
    </message>
    <message>
        <location filename="../../widgets/study_card.py" line="267"/>
        <source>not cached</source>
        <translation>未缓存</translation>
    </message>
    <message>
        <location filename="../../widgets/study_card.py" line="275"/>
        <source>%1 series</source>
        <translation>%1 个序列</translation>
    </message>
    <message>
        <location filename="../../widgets/study_card.py" line="277"/>
        <source>%1 image(s)</source>
        <translation>%1 幅图像</translation>
    </message>
    <message>
        <location filename="../../widgets/study_card.py" line="279"/>
        <source>Acc. %1</source>
        <translation>检查号 %1</translation>
    </message>
    <message>
        <location filename="../../widgets/study_card.py" line="292"/>
        <source>%1 on %2 at %3 (%4 days apart)</source>
        <translation>%1，%2，%3（相隔 %4 天）</translation>
    </message>
    <message>
        <location filename="../../widgets/study_card.py" line="299"/>
        <source>⚠ Recent similar exam: %1. Look at it before repeating the exam.</source>
        <translation>⚠ 近期相似检查：%1。重复检查前请先查看。</translation>
    </message>
    <message>
        <location filename="../../widgets/study_card.py" line="300"/>
        <source>another study</source>
        <translation>另一项检查</translation>
    </message>
</context>
<context>
    <name>ThumbnailPlaceholder</name>
    <message>
        <location filename="../../widgets/thumbnail_placeholder.py" line="66"/>
        <source>Cannot show image</source>
        <translation>无法显示图像</translation>
    </message>
</context>
</TS>
