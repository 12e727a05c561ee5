<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en_US" sourcelanguage="ja_JP">
    <context>
        <name>AddTrustDialog</name>
        <message>
            <source>{sender} の鍵ID &lt;b&gt;{key}&lt;/b&gt; の鍵を信頼し、次の組織の記録を書くことを認めます。</source>
            <translation>Trust the key of {sender} with ID &lt;b&gt;{key}&lt;/b&gt; to write the records of these organisations.</translation>
        </message>
        <message>
            <source>{sender} の鍵ID &lt;b&gt;{key}&lt;/b&gt; の鍵を登録し、次の組織の記録を書くことを認めます。</source>
            <translation>Register the key of {sender}, key ID &lt;b&gt;{key}&lt;/b&gt;, and allow it to write the records of these organisations.</translation>
        </message>
        <message>
            <source>すべての組織（事務局の配布用パッケージなど）</source>
            <translation>All organisations (e.g. the secretariat's distribution package)</translation>
        </message>
        <message>
            <source>キャンセル</source>
            <translation>Cancel</translation>
        </message>
        <message>
            <source>メモ</source>
            <translation>Note</translation>
        </message>
        <message>
            <source>事務局の鍵には「すべての組織」を選びます（全国の配布用パッケージを受け取るため）。同じフォーラムの別の端末の鍵には、自フォーラムを選びます。</source>
            <translation>For the secretariat's key choose "All organisations" (to receive the national distribution package). For another computer of your own forum, choose your forum.</translation>
        </message>
        <message>
            <source>例: 中国フォーラム 山田さんのノートパソコン（2024年7月受領）</source>
            <translation>e.g. Chugoku Forum, Ms Yamada's laptop (received Jul 2024)</translation>
        </message>
        <message>
            <source>例: 関東フォーラム 2台目（空欄なら組織名と鍵ID）</source>
            <translation>e.g. Kanto forum, 2nd laptop (empty: the organisation and the key ID)</translation>
        </message>
        <message>
            <source>信頼する</source>
            <translation>Trust</translation>
        </message>
        <message>
            <source>各フォーラムの端末の鍵には、そのフォーラムだけを選びます。登録した鍵は次の全国（配布用）パッケージで各端末に届き、事務局の鍵を信頼している端末はこの鍵も信頼します（端末ごとに一度の登録で済みます）。</source>
            <translation>For a forum's computer, choose that forum only. A registered key reaches every computer with the next nationwide (distribution) package, and every computer that trusts the secretariat's key trusts it too (one registration per computer is enough).</translation>
        </message>
        <message>
            <source>登録する</source>
            <translation>Register</translation>
        </message>
        <message>
            <source>登録名</source>
            <translation>Registered as</translation>
        </message>
        <message>
            <source>部会・事務局</source>
            <translation>Committees and secretariat</translation>
        </message>
        <message>
            <source>鍵ID &lt;b&gt;{key}&lt;/b&gt; の鍵を信頼し、次の組織の記録を書くことを認めます。</source>
            <translation>Trust the key with ID &lt;b&gt;{key}&lt;/b&gt; to write the records of these organisations.</translation>
        </message>
        <message>
            <source>鍵ID &lt;b&gt;{key}&lt;/b&gt; の鍵を登録し、次の組織の記録を書くことを認めます。</source>
            <translation>Register the key with key ID &lt;b&gt;{key}&lt;/b&gt; and allow it to write the records of these organisations.</translation>
        </message>
        <message>
            <source>鍵を登録</source>
            <translation>Register a key</translation>
        </message>
        <message>
            <source>鍵を追加</source>
            <translation>Add a key</translation>
        </message>
    </context>
    <context>
        <name>AuditModel</name>
        <message>
            <source>{org}のパッケージ</source>
            <translation>Package from {org}</translation>
        </message>
        <message>
            <source>受信元</source>
            <translation>Source</translation>
        </message>
        <message>
            <source>変更した人</source>
            <translation>Changed by</translation>
        </message>
        <message>
            <source>変更した項目</source>
            <translation>Fields changed</translation>
        </message>
        <message>
            <source>操作</source>
            <translation>Action</translation>
        </message>
        <message>
            <source>日時</source>
            <translation>Date and time</translation>
        </message>
        <message>
            <source>種類</source>
            <translation>Kind</translation>
        </message>
        <message>
            <source>組織</source>
            <translation>Organisation</translation>
        </message>
        <message>
            <source>記録</source>
            <translation>Record</translation>
        </message>
        <message>
            <source>（この端末にない記録）</source>
            <translation>(record not on this computer)</translation>
        </message>
    </context>
    <context>
        <name>AuditPage</name>
        <message>
            <source>この日から</source>
            <translation>From this day</translation>
        </message>
        <message>
            <source>この日まで</source>
            <translation>To this day</translation>
        </message>
        <message>
            <source>この種類の記録には入力画面がありません（{entity}）。</source>
            <translation>Records of this kind have no entry dialog ({entity}).</translation>
        </message>
        <message>
            <source>すべての人</source>
            <translation>Everyone</translation>
        </message>
        <message>
            <source>すべての種類</source>
            <translation>All kinds</translation>
        </message>
        <message>
            <source>すべての組織</source>
            <translation>All organisations</translation>
        </message>
        <message>
            <source>それより前の変更は、期間などで絞り込むと表示されます。</source>
            <translation>Narrow the period or the other filters to see earlier changes.</translation>
        </message>
        <message>
            <source>変更した人</source>
            <translation>Changed by</translation>
        </message>
        <message>
            <source>変更した人で絞り込みます</source>
            <translation>Show the changes of one person</translation>
        </message>
        <message>
            <source>変更した日で絞り込みます（受信した変更は、送り主が変更した日）</source>
            <translation>Show the changes made in a period (a received change: the day the sender made it)</translation>
        </message>
        <message>
            <source>新しい {count} を表示</source>
            <translation>Newest {count} shown</translation>
        </message>
        <message>
            <source>期間</source>
            <translation>Period</translation>
        </message>
        <message>
            <source>種類</source>
            <translation>Kind</translation>
        </message>
        <message>
            <source>組織</source>
            <translation>Organisation</translation>
        </message>
        <message>
            <source>組織で絞り込みます（その組織の記録の変更と、その組織から受信した変更）</source>
            <translation>Show the changes of one organisation (changes to its records, and changes received from it)</translation>
        </message>
        <message>
            <source>自組織（{org}）</source>
            <translation>Own organisation ({org})</translation>
        </message>
        <message>
            <source>行をダブルクリックするか Enter で、その記録を開きます。変更前と変更後の値は、「変更した項目」にポインタを合わせると表示されます。</source>
            <translation>Double-click a row or press Enter to open its record. Point at “Fields changed” to see the values before and after.</translation>
        </message>
        <message>
            <source>記録の種類で絞り込みます</source>
            <translation>Show the changes of one kind of record</translation>
        </message>
        <message>
            <source>（不明）</source>
            <translation>(unknown)</translation>
        </message>
        <message>
            <source>～</source>
            <translation>–</translation>
        </message>
    </context>
    <context>
        <name>AuditText</name>
        <message>
            <source>KPI {count} 項目</source>
            <translation>{count} KPIs</translation>
        </message>
        <message>
            <source>{field}: {old} → {new}</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>{field}（{part}）</source>
            <translation>{field} ({part})</translation>
        </message>
        <message>
            <source>{label} {value}</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>{org}から受信・パッケージ {package}</source>
            <translation>Received from {org}, package {package}</translation>
        </message>
        <message>
            <source>{stage}（{day}）</source>
            <translation>{stage} ({day})</translation>
        </message>
        <message>
            <source>いいえ</source>
            <translation>No</translation>
        </message>
        <message>
            <source>この端末</source>
            <translation>This computer</translation>
        </message>
        <message>
            <source>すべて</source>
            <translation>All</translation>
        </message>
        <message>
            <source>はい</source>
            <translation>Yes</translation>
        </message>
        <message>
            <source>パッケージ {package}
送り主: {org}（端末ID {installation}）
取り込み: {received}</source>
            <translation>Package {package}
Sender: {org} (installation ID {installation})
Imported: {received}</translation>
        </message>
        <message>
            <source>パッケージの取り込み</source>
            <translation>Package import</translation>
        </message>
        <message>
            <source>仮</source>
            <translation>tentative</translation>
        </message>
        <message>
            <source>削除</source>
            <translation>Deleted</translation>
        </message>
        <message>
            <source>削除の取り消し</source>
            <translation>Restored</translation>
        </message>
        <message>
            <source>取り込みの取り消し</source>
            <translation>Undo imports</translation>
        </message>
        <message>
            <source>同時に変更された版が届き、受信した版を表示しています（もう一方の版も残しています。「競合」ページで選べます）。</source>
            <translation>A version changed at the same time arrived; the received version is shown (the other is kept too: choose on the Conflicts page).</translation>
        </message>
        <message>
            <source>同時に変更された版が届きました。この端末の版を表示したまま、受信した版も残しています（「競合」ページで選べます）。</source>
            <translation>A version changed at the same time arrived. This computer's version is still shown; the received one is kept too (choose on the Conflicts page).</translation>
        </message>
        <message>
            <source>変更</source>
            <translation>Changed</translation>
        </message>
        <message>
            <source>登録</source>
            <translation>Created</translation>
        </message>
        <message>
            <source>登録組織</source>
            <translation>Organisation</translation>
        </message>
        <message>
            <source>端末 {installation}</source>
            <translation>Installation {installation}</translation>
        </message>
        <message>
            <source>競合</source>
            <translation>Conflict</translation>
        </message>
        <message>
            <source>競合の解決</source>
            <translation>Conflict resolved</translation>
        </message>
        <message>
            <source>精度</source>
            <translation>precision</translation>
        </message>
        <message>
            <source>終了</source>
            <translation>end</translation>
        </message>
        <message>
            <source>記入</source>
            <translation>as written</translation>
        </message>
        <message>
            <source>開始</source>
            <translation>start</translation>
        </message>
        <message>
            <source>（なし）</source>
            <translation>(none)</translation>
        </message>
        <message>
            <source>（不明）</source>
            <translation>(unknown)</translation>
        </message>
    </context>
    <context>
        <name>BackupDialog</name>
        <message numerus="yes">
            <source>%n 件の取り込みを取り消しました。</source>
            <translation>
                <numerusform>%n import was undone.</numerusform>
                <numerusform>%n imports were undone.</numerusform>
            </translation>
        </message>
        <message>
            <source>{when} のバックアップから復元しました。</source>
            <translation>Restored from the backup of {when}.</translation>
        </message>
        <message>
            <source>{when}（{reason}）{name} — {file}</source>
            <translation>{when}, {reason}, {name}: {file}</translation>
        </message>
        <message>
            <source>{when}（{reason}）のバックアップから復元しますか？</source>
            <translation>Restore from the backup of {when} ({reason})?</translation>
        </message>
        <message>
            <source>この取り込みを取り消す(&amp;U)…</source>
            <translation>&amp;Undo this import…</translation>
        </message>
        <message>
            <source>これは共有データベース（{location}）です。復元すると、使っている全員のデータが {when} の時点に戻ります。
復元する前の状態は、バックアップの一覧に「復元前」として残します。
ほかの職員が JCIM Desktop を開いているあいだは復元できません。全員に閉じてもらってから行ってください。
{when} より後に入力・取り込みした変更は、復元したデータには含まれません。</source>
            <translation>This is the shared database ({location}). Restoring takes everyone's data back to {when}.
The state before the restore is kept in the list of backups as "Before restore".
It cannot be restored while other staff have JCIM Desktop open: ask everyone to close it first.
Changes entered or imported after {when} are not in the restored data.</translation>
        </message>
        <message>
            <source>その取り込みで追加・変更された記録の数</source>
            <translation>How many records the import added or changed</translation>
        </message>
        <message>
            <source>ほかの職員が取った共有データベースのバックアップ（その人の端末にあります）:</source>
            <translation>Backups of the shared database taken by colleagues (kept on their computers):</translation>
        </message>
        <message>
            <source>やめる</source>
            <translation>Quit</translation>
        </message>
        <message>
            <source>データベースは毎日の最初の起動時とアプリの更新前に自動でバックアップされます。</source>
            <translation>The database is backed up automatically at the first start of each day and before the app is upgraded. </translation>
        </message>
        <message>
            <source>バックアップ</source>
            <translation>Backups</translation>
        </message>
        <message>
            <source>バックアップから復元</source>
            <translation>Restore from a backup</translation>
        </message>
        <message>
            <source>バックアップはまだありません。「今すぐバックアップ」で作れます。</source>
            <translation>There are no backups yet. Make one with “Back up now”.</translation>
        </message>
        <message>
            <source>バックアップを作っています…</source>
            <translation>Making a backup…</translation>
        </message>
        <message>
            <source>ファイル名</source>
            <translation>File name</translation>
        </message>
        <message>
            <source>・{org} {issue}（{when} 取り込み、{count}）
　{file}</source>
            <translation>• {org} {issue} (imported {when}, {count})
   {file}</translation>
        </message>
        <message>
            <source>今すぐバックアップ(&amp;B)</source>
            <translation>&amp;Back up now</translation>
        </message>
        <message>
            <source>今のデータベースのバックアップを作ります</source>
            <translation>Make a backup of the current database</translation>
        </message>
        <message>
            <source>今のデータベースは {name} として同じフォルダに残します。
{when} より後に入力・取り込みした変更は、復元したデータには含まれません。</source>
            <translation>The current database is kept in the same folder as {name}.
Changes entered or imported after {when} are not in the restored data.</translation>
        </message>
        <message>
            <source>今までのデータベースは {name} として残しました。</source>
            <translation>The previous database was kept as {name}.</translation>
        </message>
        <message>
            <source>件数</source>
            <translation>Records</translation>
        </message>
        <message>
            <source>保存先</source>
            <translation>Folder</translation>
        </message>
        <message>
            <source>共有データベースは、毎日その日最初に開いた職員の端末と、アプリの更新前に自動でバックアップされます。</source>
            <translation>The shared database is backed up automatically each day, by the computer of whoever opens it first that day, and before the app is upgraded. </translation>
        </message>
        <message>
            <source>共有データベースを使うほかの職員の端末も、次に開いたときから新しい端末IDで続けます。</source>
            <translation>The other staff's computers using the shared database also go on under a new installation ID from the next time they open it.</translation>
        </message>
        <message>
            <source>取り消さない</source>
            <translation>Don't undo</translation>
        </message>
        <message>
            <source>取り消したパッケージは、あとでもう一度取り込めます。</source>
            <translation>The packages can be imported again later.</translation>
        </message>
        <message>
            <source>取り消す</source>
            <translation>Undo</translation>
        </message>
        <message>
            <source>取り消せる取り込みはありません。</source>
            <translation>There are no imports to undo.</translation>
        </message>
        <message>
            <source>取り込みの一覧が変わっていたため、取り消しませんでした（何も変更していません）。一覧を読み直したので、もう一度選んでください。</source>
            <translation>The list of imports had changed, so nothing was undone (nothing was changed). The list has been read again: please choose again.</translation>
        </message>
        <message>
            <source>取り込みの取り消し</source>
            <translation>Undo imports</translation>
        </message>
        <message>
            <source>取り込みは新しいものから順に取り消すため、選んだ取り込みより新しい取り込みもいっしょに取り消します。</source>
            <translation>Imports are undone newest first, so the imports newer than the selected one are undone with it.</translation>
        </message>
        <message>
            <source>取り込みを取り消しています…</source>
            <translation>Undoing the import…</translation>
        </message>
        <message>
            <source>取り込みを取り消せませんでした。</source>
            <translation>The import could not be undone.</translation>
        </message>
        <message>
            <source>取り込んだ日時</source>
            <translation>Imported</translation>
        </message>
        <message>
            <source>取り込んだ記録がそのあとで変更されているときは、その変更が失われないよう取り消しをやめ、何も変更しません。</source>
            <translation>If a record has been changed since it was imported, nothing is undone and nothing is changed, so that the change is not lost.</translation>
        </message>
        <message>
            <source>号</source>
            <translation>Issue</translation>
        </message>
        <message numerus="yes">
            <source>同期パッケージの取り込みは、バックアップを使わずに取り消せます。取り消すと、その取り込みで追加・変更された記録が取り込む前の状態に戻ります（新しい取り込みから順に取り消すため、それより新しい取り込みもいっしょに取り消します）。取り消せるのは最近の %n 件の取り込みです。それより前の状態には、「バックアップ」タブのバックアップから戻せます。</source>
            <translation>
                <numerusform>An import of a sync package can be undone without a backup: the records it added or changed go back to how they were before it (imports are undone newest first, so every newer import is undone with it). The most recent import can be undone. For anything earlier, restore a backup from the “Backups” tab.</numerusform>
                <numerusform>An import of a sync package can be undone without a backup: the records it added or changed go back to how they were before it (imports are undone newest first, so every newer import is undone with it). The %n most recent imports can be undone. For anything earlier, restore a backup from the “Backups” tab.</numerusform>
            </translation>
        </message>
        <message>
            <source>名前なし</source>
            <translation>no name</translation>
        </message>
        <message>
            <source>大きさ</source>
            <translation>Size</translation>
        </message>
        <message>
            <source>復元する</source>
            <translation>Restore</translation>
        </message>
        <message>
            <source>復元する前の共有データベースは {name} としてバックアップしました。</source>
            <translation>The shared database as it was before the restore was backed up as {name}.</translation>
        </message>
        <message>
            <source>日時</source>
            <translation>Date and time</translation>
        </message>
        <message numerus="yes">
            <source>次の %n 件の取り込みを取り消しますか？</source>
            <translation>
                <numerusform>Undo this import?</numerusform>
                <numerusform>Undo these %n imports?</numerusform>
            </translation>
        </message>
        <message>
            <source>残す数（古いものから削除）</source>
            <translation>Number kept (the oldest are deleted)</translation>
        </message>
        <message>
            <source>種類</source>
            <translation>Kind</translation>
        </message>
        <message>
            <source>組織</source>
            <translation>Organisation</translation>
        </message>
        <message>
            <source>選んだバックアップから復元(&amp;R)…</source>
            <translation>&amp;Restore the selected backup…</translation>
        </message>
        <message>
            <source>選んだバックアップの時点に戻します（今のデータベースは同じフォルダに残します）</source>
            <translation>Go back to the moment the selected backup was taken (the current database is kept in the same folder)</translation>
        </message>
        <message>
            <source>選んだバックアップの時点に戻すことができます。同期パッケージの取り込みは、「取り込みの取り消し」で取り消せます。</source>
            <translation>You can go back to the moment a chosen backup was taken. An import of a sync package can be undone under “Undo imports”.</translation>
        </message>
        <message>
            <source>選んだ取り込みと、それより新しい取り込みを取り消します（取り消す前に確かめます）</source>
            <translation>Undoes the selected import and every newer one (you are asked first)</translation>
        </message>
        <message>
            <source>閉じる</source>
            <translation>Close</translation>
        </message>
    </context>
    <context>
        <name>ByOrgModel</name>
        <message>
            <source>確定した数値 {closed}／現在の記録では {live}</source>
            <translation>Closed figure {closed}; the records now give {live}</translation>
        </message>
        <message>
            <source>組織</source>
            <translation>Organisation</translation>
        </message>
    </context>
    <context>
        <name>CardWidget</name>
        <message>
            <source>他組織の記録は閲覧のみです</source>
            <translation>Other organisations' records are read-only</translation>
        </message>
    </context>
    <context>
        <name>CloseYearDialog</name>
        <message>
            <source>{fiscal_year}の KPI を次の数値で確定します。確定した数値がこの年度の公式の数値になり、あとで記録が追加・変更されても変わりません。全国配布パッケージで各フォーラムにも届きます。</source>
            <translation>{fiscal_year}'s KPIs will be fixed at the figures below. They become the year's official figures and do not change when records are added or changed later. National packages take them to every forum.</translation>
        </message>
        <message>
            <source>{fiscal_year}の確定</source>
            <translation>Closing {fiscal_year}</translation>
        </message>
        <message>
            <source>{fiscal_year}はまだ終わっていません（{end}まで）。確定すると、これから記録する活動はこの年度の公式の数値に入りません。</source>
            <translation>{fiscal_year} has not ended yet (it runs until {end}). Once it is closed, activities recorded from now on will not count in its official figures.</translation>
        </message>
        <message>
            <source>キャンセル</source>
            <translation>Cancel</translation>
        </message>
        <message>
            <source>例: 令和6年度 事業報告の数値</source>
            <translation>e.g. figures of the FY2024 annual report</translation>
        </message>
        <message>
            <source>備考（任意）</source>
            <translation>Note (optional)</translation>
        </message>
        <message>
            <source>数</source>
            <translation>Count</translation>
        </message>
        <message>
            <source>目標</source>
            <translation>Target</translation>
        </message>
        <message>
            <source>確定する</source>
            <translation>Close the year</translation>
        </message>
        <message>
            <source>確定する人</source>
            <translation>Closed by</translation>
        </message>
        <message>
            <source>達成率</source>
            <translation>Achievement</translation>
        </message>
        <message>
            <source>項目</source>
            <translation>Item</translation>
        </message>
        <message>
            <source>（設定で名前を入力してください）</source>
            <translation>(enter your name in the settings)</translation>
        </message>
    </context>
    <context>
        <name>CoHostsEdit</name>
        <message>
            <source>なし（単独で開催）</source>
            <translation>None (held alone)</translation>
        </message>
        <message>
            <source>一緒に開催した組織を選びます。共催した組織の一覧にも表示されます</source>
            <translation>Choose the organisations that held it together with yours; it also appears in their lists</translation>
        </message>
        <message>
            <source>選ぶ…</source>
            <translation>Choose…</translation>
        </message>
    </context>
    <context>
        <name>ConflictListModel</name>
        <message>
            <source>所有組織</source>
            <translation>Owner</translation>
        </message>
        <message>
            <source>版の数</source>
            <translation>Versions</translation>
        </message>
        <message>
            <source>種類</source>
            <translation>Kind</translation>
        </message>
        <message>
            <source>記録</source>
            <translation>Record</translation>
        </message>
        <message>
            <source>違う項目</source>
            <translation>Differing fields</translation>
        </message>
    </context>
    <context>
        <name>ConflictVersionsModel</name>
        <message>
            <source>この端末</source>
            <translation>This computer</translation>
        </message>
        <message>
            <source>削除済み</source>
            <translation>deleted</translation>
        </message>
        <message>
            <source>有効</source>
            <translation>Active</translation>
        </message>
        <message>
            <source>版{letter}</source>
            <translation>Version {letter}</translation>
        </message>
        <message>
            <source>版{letter}（現在の内容）</source>
            <translation>Version {letter} (current)</translation>
        </message>
        <message>
            <source>状態</source>
            <translation>State</translation>
        </message>
        <message>
            <source>端末 {id}</source>
            <translation>Computer {id}</translation>
        </message>
        <message>
            <source>（この版にはなし・今の内容が残ります）</source>
            <translation>(not in this version; the current content stays)</translation>
        </message>
        <message>
            <source>（削除済み）</source>
            <translation>(deleted)</translation>
        </message>
    </context>
    <context>
        <name>ConflictsPage</name>
        <message>
            <source>{count} 件（この端末で解決できるもの {writable} 件）</source>
            <translation>{count} in all ({writable} can be resolved on this computer)</translation>
        </message>
        <message>
            <source>{entity}「{record}」（{owner}の記録）</source>
            <translation>{entity} “{record}” (a record of {owner})</translation>
        </message>
        <message>
            <source>この版を採用</source>
            <translation>Adopt this version</translation>
        </message>
        <message>
            <source>この版を採用（版{letter}）</source>
            <translation>Adopt version {letter}</translation>
        </message>
        <message>
            <source>キャンセル</source>
            <translation>Cancel</translation>
        </message>
        <message>
            <source>他組織の記録です。その組織の端末で解決されます。</source>
            <translation>This is another organisation's record; it is resolved on that organisation's computers.</translation>
        </message>
        <message>
            <source>取り込んだ記録はすべて自動でまとまりました。
同じ記録が別々の端末で同時に変更されたときだけ、ここに表示されます（どちらの版も失われません）。</source>
            <translation>Everything imported was merged automatically.
A conflict appears here only when the same record was changed on different computers at the same time (neither version is lost).</translation>
        </message>
        <message>
            <source>同じ記録が別々の端末でほぼ同時に変更されると、どちらの版も残して競合として表示します。版を見比べて採用するか、編集して内容をまとめてください。</source>
            <translation>When the same record is changed on different computers at about the same time, both versions are kept and shown here as a conflict. Compare the versions and adopt one, or edit to combine them.</translation>
        </message>
        <message>
            <source>左の一覧から競合を選んでください。</source>
            <translation>Choose a conflict in the list on the left.</translation>
        </message>
        <message>
            <source>採用する</source>
            <translation>Adopt</translation>
        </message>
        <message>
            <source>版{letter}の内容で確定しますか？
ほかの版の内容は使われなくなります。確定した内容は、次の同期で他の端末にも届きます。</source>
            <translation>Settle on the content of version {letter}?
The other versions will no longer be used. The settled content reaches the other computers with the next sync.</translation>
        </message>
        <message>
            <source>版{letter}を採用して競合を解決しました。</source>
            <translation>Version {letter} was adopted and the conflict resolved.</translation>
        </message>
        <message>
            <source>現在の内容を編集して保存します。保存した内容が新しい版になり、競合は解消されます。</source>
            <translation>Edit and save the current content. What you save becomes the new version and the conflict is resolved.</translation>
        </message>
        <message>
            <source>競合</source>
            <translation>Conflicts</translation>
        </message>
        <message>
            <source>競合はありません</source>
            <translation>No conflicts</translation>
        </message>
        <message>
            <source>編集して解決…</source>
            <translation>Resolve by editing…</translation>
        </message>
        <message>
            <source>色の付いた行が版によって違う項目です。採用する版を選ぶか、「編集して解決…」で内容をまとめて保存してください。</source>
            <translation>Coloured rows are the fields that differ between versions. Adopt one version, or combine them with "Resolve by editing…" and save.</translation>
        </message>
        <message>
            <source>（内容は同じ）</source>
            <translation>(same content)</translation>
        </message>
    </context>
    <context>
        <name>ConvertToTrialDialog</name>
        <message>
            <source>{fiscal_year}は確定済みです。確定した数値は変わらず、変わるのは集計し直した数値だけです。</source>
            <translation>{fiscal_year} is closed. Its official figures stay as they are; only the recomputed (live) figures change.</translation>
        </message>
        <message>
            <source>{kpi}: {before} → {after}</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>{year}の{org}の数値（KPI）は次のように変わります。</source>
            <translation>The KPI figures of {org} for {year} change as follows.</translation>
        </message>
        <message>
            <source>「{title}」を実証実験として記録し直します。この活動・行事は削除され（削除済みとして残り、元に戻せます）、名前・開催回・予定・状況・実施日が実証実験に引き継がれます。内容・会場・参加者数は実証実験の「結果」に書き写します。</source>
            <translation>“{title}” will be recorded again as a field trial. This activity or event is deleted (it is kept as deleted and can be restored); the field trial takes over its name, edition, plan, status and dates. The description, venue and number of participants are copied into the field trial's result.</translation>
        </message>
        <message>
            <source>キャンセル</source>
            <translation>Cancel</translation>
        </message>
        <message>
            <source>変える</source>
            <translation>Convert</translation>
        </message>
        <message>
            <source>実証実験に変える</source>
            <translation>Convert to a field trial</translation>
        </message>
        <message>
            <source>実証実験の自治体</source>
            <translation>Municipality of the trial</translation>
        </message>
        <message>
            <source>実証実験を行った自治体を選んでください</source>
            <translation>Choose the municipality where the trial took place</translation>
        </message>
        <message>
            <source>数値は変わりません（実施済の実証実験だけが現場試行数に数えられます）。</source>
            <translation>No figure changes (only field trials that have taken place count towards Field trials).</translation>
        </message>
        <message>
            <source>数値（KPI）への影響</source>
            <translation>Effect on the KPI figures</translation>
        </message>
        <message>
            <source>自治体を選ぶと、数値がどう変わるかを表示します。</source>
            <translation>Choose the municipality to see how the figures change.</translation>
        </message>
    </context>
    <context>
        <name>DamagedDatabaseDialog</name>
        <message>
            <source>データベースを開けません</source>
            <translation>Cannot open the database</translation>
        </message>
        <message>
            <source>データベース（{path}）が壊れています: {detail}。</source>
            <translation>The database ({path}) is damaged: {detail}.</translation>
        </message>
        <message>
            <source>新しく始める(&amp;N)</source>
            <translation>Start &amp;new</translation>
        </message>
        <message>
            <source>新しく始めると、壊れたファイルは {name} として残し、空のデータベースで始めます。
この端末の鍵は引き継ぐので、ほかの端末の信頼はそのままです。事務局の全国パッケージを取り込むと、送ってあった記録が戻ります。</source>
            <translation>Starting afresh keeps the damaged file as {name} and starts with an empty database.
This computer keeps its key, so other installations still trust it. Importing the secretariat's national package brings back the records you had sent.</translation>
        </message>
        <message>
            <source>最新の正常なバックアップ: {when}（{reason}）
復元すると、壊れたファイルは {name} として残します。バックアップより後の変更は含まれません。</source>
            <translation>Newest good backup: {when} ({reason})
Restoring keeps the damaged file as {name}. Changes made after the backup are not included.</translation>
        </message>
        <message>
            <source>最新の正常なバックアップから復元(&amp;R)</source>
            <translation>&amp;Restore the newest good backup</translation>
        </message>
        <message>
            <source>正常なバックアップは見つかりませんでした。</source>
            <translation>No good backup was found.</translation>
        </message>
        <message>
            <source>終了(&amp;Q)</source>
            <translation>&amp;Quit</translation>
        </message>
    </context>
    <context>
        <name>DashboardPage</name>
        <message>
            <source>10%以上</source>
            <translation>10% or more</translation>
        </message>
        <message>
            <source>10%未満</source>
            <translation>Under 10%</translation>
        </message>
        <message>
            <source>10団体以上</source>
            <translation>10 or more</translation>
        </message>
        <message>
            <source>1〜2団体</source>
            <translation>1–2</translation>
        </message>
        <message>
            <source>30%以上</source>
            <translation>30% or more</translation>
        </message>
        <message>
            <source>3〜5団体</source>
            <translation>3–5</translation>
        </message>
        <message>
            <source>50%以上</source>
            <translation>50% or more</translation>
        </message>
        <message>
            <source>6〜9団体</source>
            <translation>6–9</translation>
        </message>
        <message>
            <source>70%以上</source>
            <translation>70% or more</translation>
        </message>
        <message>
            <source>{block}ブロックの支援自治体数（{fiscal_year}）</source>
            <translation>Supported municipalities, {block} block ({fiscal_year})</translation>
        </message>
        <message>
            <source>{fiscal_year}・{scope}</source>
            <translation>{fiscal_year} · {scope}</translation>
        </message>
        <message>
            <source>{n}か国・地域</source>
            <translation>{n}</translation>
        </message>
        <message>
            <source>{n}件</source>
            <translation>{n}</translation>
        </message>
        <message>
            <source>{n}回</source>
            <translation>{n}</translation>
        </message>
        <message>
            <source>{n}団体</source>
            <translation>{n}</translation>
        </message>
        <message>
            <source>{scope}｜{fiscal_year}｜{date}現在</source>
            <translation>{scope} | {fiscal_year} | as of {date}</translation>
        </message>
        <message>
            <source>「{step}」から「{next}」へ進めない案件が最も多くなっています（{count}）。</source>
            <translation>Most pairings stall between “{step}” and “{next}” ({count}).</translation>
        </message>
        <message>
            <source>この年度のマッチングはまだありません。</source>
            <translation>No matchings in this fiscal year yet.</translation>
        </message>
        <message>
            <source>なし</source>
            <translation>None</translation>
        </message>
        <message>
            <source>ダッシュボード</source>
            <translation>Dashboard</translation>
        </message>
        <message>
            <source>ブロック別の支援自治体数</source>
            <translation>Supported municipalities by block</translation>
        </message>
        <message>
            <source>マッチングの進み具合</source>
            <translation>Matching progress</translation>
        </message>
        <message>
            <source>今後60日の予定</source>
            <translation>Next 60 days</translation>
        </message>
        <message>
            <source>今後60日の予定はありません。</source>
            <translation>Nothing planned in the next 60 days.</translation>
        </message>
        <message>
            <source>全フォーラム</source>
            <translation>All forums</translation>
        </message>
        <message>
            <source>全国</source>
            <translation>Nationwide</translation>
        </message>
        <message>
            <source>加入率</source>
            <translation>Rate</translation>
        </message>
        <message>
            <source>参画率</source>
            <translation>Rate</translation>
        </message>
        <message>
            <source>各ブロック内の自治体の実数</source>
            <translation>Distinct municipalities in each block</translation>
        </message>
        <message>
            <source>実施済にするか日程を更新してください。</source>
            <translation>Mark them as held or update their dates.</translation>
        </message>
        <message>
            <source>市区町村長会議 参画率（都道府県別）</source>
            <translation>Mayors' Council participation by prefecture</translation>
        </message>
        <message>
            <source>年度</source>
            <translation>Fiscal year</translation>
        </message>
        <message>
            <source>支援自治体数</source>
            <translation>Supported municipalities</translation>
        </message>
        <message>
            <source>日程を過ぎた未実施の予定</source>
            <translation>Overdue (date passed, not held)</translation>
        </message>
        <message>
            <source>日程を過ぎた未実施の予定はありません。</source>
            <translation>No overdue plans.</translation>
        </message>
        <message>
            <source>目標は全国の目標で、参考として示しています。棒は全国計の進み具合（薄い色）と当フォーラムの実績（濃い色）です。</source>
            <translation>Targets are national targets, shown for reference. Bars show the national progress (light) and this forum’s results (dark).</translation>
        </message>
        <message>
            <source>行政会員 加入率（都道府県別）</source>
            <translation>Government membership by prefecture</translation>
        </message>
        <message>
            <source>都道府県別の支援自治体数（{fiscal_year}）</source>
            <translation>Supported municipalities by prefecture ({fiscal_year})</translation>
        </message>
        <message>
            <source>集計しています…</source>
            <translation>Tallying…</translation>
        </message>
    </context>
    <context>
        <name>EditConflictDialog</name>
        <message>
            <source>{entity}「{name}」</source>
            <translation>{entity} “{name}”</translation>
        </message>
        <message>
            <source>{name}さん</source>
            <translation>{name}</translation>
        </message>
        <message>
            <source>{name}さん（別の端末）</source>
            <translation>{name} (on another computer)</translation>
        </message>
        <message>
            <source>{record}は、あなたが開いた後に{org}から受け取った変更で更新されました（{when}）。</source>
            <translation>{record} was updated after you opened it, by a change received from {org} ({when}). </translation>
        </message>
        <message>
            <source>{record}は、あなたが開いた後に{who}が削除しました（{when}）。</source>
            <translation>{record} was deleted by {who} after you opened it ({when}). </translation>
        </message>
        <message>
            <source>{record}は、あなたが開いた後に{who}が変更しました（{when}）。</source>
            <translation>{record} was changed by {who} after you opened it ({when}). </translation>
        </message>
        <message>
            <source>{who}が保存した内容（現在）</source>
            <translation>Saved by {who} (current)</translation>
        </message>
        <message>
            <source>あなたの入力と、いま保存されている内容とで違う項目です。色の付いた行は、あなたが開いた後に変更された項目です。上書き保存すると、その変更もあなたの入力の値に置き換わります。</source>
            <translation>The fields where your input and the saved version differ. Coloured rows were changed after you opened the record; saving over it replaces those changes with your input too.</translation>
        </message>
        <message>
            <source>あなたの入力と、いま保存されている内容とで違う項目です（どれもあなたが変更した項目です）。</source>
            <translation>The fields where your input and the saved version differ (all of them changed by you).</translation>
        </message>
        <message>
            <source>あなたの入力は、いま保存されている内容と同じです。どちらを選んでも内容は変わりません。</source>
            <translation>Your input is the same as the saved version. Either choice leaves the record as it is.</translation>
        </message>
        <message>
            <source>あなたの入力はまだ保存していません。</source>
            <translation>Your input has not been saved.</translation>
        </message>
        <message>
            <source>あなたの入力は破棄されます。</source>
            <translation>Your input is discarded.</translation>
        </message>
        <message>
            <source>あなたの入力は破棄し、いま保存されている内容を画面に読み込みます。</source>
            <translation>Discards your input and loads the version saved now.</translation>
        </message>
        <message>
            <source>あなた（別の画面）</source>
            <translation>you (in another window)</translation>
        </message>
        <message>
            <source>いま保存されている内容を、あなたの入力で置き換えます（表のすべての項目があなたの入力の値になります）。</source>
            <translation>Replaces the saved version with your input (every field in the table takes your value).</translation>
        </message>
        <message>
            <source>この記録は削除されているため、上書きできません。必要な入力は控えてから閉じてください。</source>
            <translation>This record has been deleted, so it cannot be saved over. Note down any input you need before closing.</translation>
        </message>
        <message>
            <source>ほかの人が先に保存しました</source>
            <translation>Someone else saved first</translation>
        </message>
        <message>
            <source>何も保存せずに入力に戻ります（Esc）。</source>
            <translation>Goes back to your input without saving anything (Esc).</translation>
        </message>
        <message>
            <source>保存されている内容を残す</source>
            <translation>Keep the saved version</translation>
        </message>
        <message>
            <source>入力に戻る</source>
            <translation>Back to the form</translation>
        </message>
        <message>
            <source>入力を破棄して閉じる</source>
            <translation>Discard my input and close</translation>
        </message>
        <message>
            <source>別の担当者</source>
            <translation>another member of staff</translation>
        </message>
        <message>
            <source>受け取った内容（現在）</source>
            <translation>Received version (current)</translation>
        </message>
        <message>
            <source>日時不明</source>
            <translation>time unknown</translation>
        </message>
        <message>
            <source>自分の入力で上書き保存</source>
            <translation>Save my input over it</translation>
        </message>
    </context>
    <context>
        <name>EditConflictModel</name>
        <message>
            <source>あなたの入力（未保存）</source>
            <translation>Your input (not saved)</translation>
        </message>
        <message>
            <source>状態</source>
            <translation>State</translation>
        </message>
    </context>
    <context>
        <name>EventDialog</name>
        <message>
            <source>この活動・行事を削除し、同じ内容の実証実験として登録し直します</source>
            <translation>Delete this activity or event and register the same activity as a field trial</translation>
        </message>
        <message>
            <source>シーズ（技術）</source>
            <translation>Technology seeds</translation>
        </message>
        <message>
            <source>ピッチイベント「{name}」を保存しました</source>
            <translation>Saved pitch event “{name}”</translation>
        </message>
        <message>
            <source>ピッチイベント「{name}」を保存しました。ピッチイベントの一覧に表示されます。</source>
            <translation>Saved pitch event “{name}”. It is listed under Pitch events.</translation>
        </message>
        <message>
            <source>ピッチイベントの新規登録</source>
            <translation>New pitch event</translation>
        </message>
        <message>
            <source>ピッチイベントの編集</source>
            <translation>Edit pitch event</translation>
        </message>
        <message>
            <source>ピッチイベント（閲覧のみ）</source>
            <translation>Pitch event (read-only)</translation>
        </message>
        <message>
            <source>フォーラム実施数（KPI）に数える</source>
            <translation>Count towards forums held (KPI)</translation>
        </message>
        <message>
            <source>一覧に追加</source>
            <translation>Add to the list</translation>
        </message>
        <message>
            <source>人数（任意）</source>
            <translation>Number (optional)</translation>
        </message>
        <message>
            <source>任意</source>
            <translation>Optional</translation>
        </message>
        <message>
            <source>任意。自治体名・テーマで検索</source>
            <translation>Optional. Search by municipality or theme</translation>
        </message>
        <message>
            <source>会場</source>
            <translation>Venue</translation>
        </message>
        <message>
            <source>例: 広島市中区 〇〇会館</source>
            <translation>e.g. XX Hall, Naka-ku, Hiroshima</translation>
        </message>
        <message>
            <source>例: 第3回 中国インフラメンテナンス・ピッチ</source>
            <translation>e.g. 3rd Chugoku Infrastructure Maintenance Pitch</translation>
        </message>
        <message>
            <source>保存して続ける</source>
            <translation>Save and continue</translation>
        </message>
        <message>
            <source>保存時に登録</source>
            <translation>Registered on save</translation>
        </message>
        <message>
            <source>備考</source>
            <translation>Notes</translation>
        </message>
        <message>
            <source>入力した内容を引き継いで、実証実験の入力画面を開きます</source>
            <translation>Open the field trial form with what you have entered</translation>
        </message>
        <message>
            <source>入力した変更を保存してから、実証実験に変えます。よろしいですか？</source>
            <translation>Your changes will be saved first, then the event converted to a field trial. Continue?</translation>
        </message>
        <message>
            <source>入力に戻る</source>
            <translation>Back to the form</translation>
        </message>
        <message>
            <source>内容</source>
            <translation>Description</translation>
        </message>
        <message>
            <source>参加・支援した自治体</source>
            <translation>Participating/supported municipalities</translation>
        </message>
        <message>
            <source>参加者数</source>
            <translation>Participants</translation>
        </message>
        <message>
            <source>基本情報</source>
            <translation>Basic information</translation>
        </message>
        <message>
            <source>実施日</source>
            <translation>Date held</translation>
        </message>
        <message>
            <source>実証実験として入力する…</source>
            <translation>Enter as a field trial…</translation>
        </message>
        <message>
            <source>実証実験に変える</source>
            <translation>Convert to a field trial</translation>
        </message>
        <message>
            <source>実証実験に変える…</source>
            <translation>Convert to a field trial…</translation>
        </message>
        <message>
            <source>実証実験・現場試行のようです。実証実験として記録すると現場試行数に数えられます。</source>
            <translation>This looks like a field trial. Recorded as a field trial, it counts towards the Field trials KPI.</translation>
        </message>
        <message>
            <source>対象の自治体ニーズ</source>
            <translation>Municipal need addressed</translation>
        </message>
        <message>
            <source>指定なし</source>
            <translation>Not specified</translation>
        </message>
        <message>
            <source>活動・行事</source>
            <translation>Activities &amp; events</translation>
        </message>
        <message>
            <source>活動・行事「{name}」を保存しました</source>
            <translation>Saved activity “{name}”</translation>
        </message>
        <message>
            <source>活動・行事「{name}」を保存しました。活動・行事の一覧に表示されます。</source>
            <translation>Saved “{name}”. It is listed under Activities &amp; events.</translation>
        </message>
        <message>
            <source>活動・行事の新規登録</source>
            <translation>New activity or event</translation>
        </message>
        <message>
            <source>活動・行事の編集</source>
            <translation>Edit activity or event</translation>
        </message>
        <message>
            <source>活動・行事名</source>
            <translation>Activity/event name</translation>
        </message>
        <message>
            <source>活動・行事（閲覧のみ）</source>
            <translation>Activity or event (read-only)</translation>
        </message>
        <message>
            <source>状況</source>
            <translation>Status</translation>
        </message>
        <message>
            <source>発表するシーズ（技術）を検索して一覧から選んでください。</source>
            <translation>Search for the technology seed to present and choose it from the list.</translation>
        </message>
        <message>
            <source>発表はイベントを保存したときに登録されます。</source>
            <translation>Presentations are registered when the event is saved.</translation>
        </message>
        <message>
            <source>発表を追加</source>
            <translation>Add a presentation</translation>
        </message>
        <message>
            <source>発表順</source>
            <translation>Order</translation>
        </message>
        <message>
            <source>発表（ピッチ）</source>
            <translation>Presentations (pitches)</translation>
        </message>
        <message>
            <source>登録</source>
            <translation>Registration</translation>
        </message>
        <message>
            <source>登録済</source>
            <translation>Registered</translation>
        </message>
        <message>
            <source>登録組織</source>
            <translation>Registered by</translation>
        </message>
        <message>
            <source>種別</source>
            <translation>Type</translation>
        </message>
        <message>
            <source>種別がピッチイベントではないため、発表は登録されていません。</source>
            <translation>Presentations were not registered because the type is not a pitch event.</translation>
        </message>
        <message>
            <source>第N回のN（任意）</source>
            <translation>N of "the Nth" (optional)</translation>
        </message>
        <message>
            <source>終了日（1日なら空欄）</source>
            <translation>End date (blank for one day)</translation>
        </message>
        <message>
            <source>自治体ニーズ</source>
            <translation>Municipal needs</translation>
        </message>
        <message>
            <source>行事は保存しましたが、次の発表は登録できませんでした。直して、もう一度「保存」を押してください。
{problems}</source>
            <translation>The event was saved, but these presentations could not be registered. Correct them and press "Save" again.
{problems}</translation>
        </message>
        <message>
            <source>選んだ発表を外す</source>
            <translation>Remove the selected presentation</translation>
        </message>
        <message>
            <source>開催予定日</source>
            <translation>Planned date</translation>
        </message>
        <message>
            <source>開催回</source>
            <translation>Edition</translation>
        </message>
        <message>
            <source>開始日</source>
            <translation>Start date</translation>
        </message>
    </context>
    <context>
        <name>EventList</name>
        <message numerus="yes">
            <source>%n日経過</source>
            <translation>
                <numerusform>%n day overdue</numerusform>
                <numerusform>%n days overdue</numerusform>
            </translation>
        </message>
        <message>
            <source>{type}・{org}</source>
            <translation>{type} · {org}</translation>
        </message>
        <message numerus="yes">
            <source>あと%n日</source>
            <translation>
                <numerusform>in %n day</numerusform>
                <numerusform>in %n days</numerusform>
            </translation>
        </message>
        <message numerus="yes">
            <source>ほか %n件</source>
            <translation>
                <numerusform>%n more</numerusform>
                <numerusform>%n more</numerusform>
            </translation>
        </message>
        <message>
            <source>今日</source>
            <translation>Today</translation>
        </message>
        <message>
            <source>日程未定</source>
            <translation>Date undecided</translation>
        </message>
        <message>
            <source>期間中</source>
            <translation>Under way</translation>
        </message>
    </context>
    <context>
        <name>ExplainDialog</name>
        <message>
            <source>{kpi}の内訳（{year}・{scope}）</source>
            <translation>{kpi}: the records behind the figure ({year}, {scope})</translation>
        </message>
        <message>
            <source>件名</source>
            <translation>Title</translation>
        </message>
        <message>
            <source>全体</source>
            <translation>all organisations</translation>
        </message>
        <message>
            <source>日付</source>
            <translation>Date</translation>
        </message>
        <message>
            <source>種類</source>
            <translation>Kind</translation>
        </message>
        <message>
            <source>組織</source>
            <translation>Organisation</translation>
        </message>
        <message>
            <source>自治体</source>
            <translation>Municipality</translation>
        </message>
        <message>
            <source>行をダブルクリックするか Enter で、その記録を開きます。</source>
            <translation>Double-click a row or press Enter to open its record.</translation>
        </message>
        <message>
            <source>集計しています…</source>
            <translation>Tallying…</translation>
        </message>
        <message>
            <source>集計値 {value}。もとになった記録 {count}。</source>
            <translation>Figure: {value}. Records behind it: {count}.</translation>
        </message>
    </context>
    <context>
        <name>ExportIdentityDialog</name>
        <message>
            <source>{count} 文字以上</source>
            <translation>At least {count} characters</translation>
        </message>
        <message>
            <source>{name} は既にあります。置き換えますか？</source>
            <translation>{name} already exists. Replace it?</translation>
        </message>
        <message>
            <source>「パスフレーズ（確認）」が「パスフレーズ」と一致しません。同じパスフレーズを2回入力してください。</source>
            <translation>“Passphrase (again)” does not match “Passphrase”. Type the same passphrase twice.</translation>
        </message>
        <message>
            <source>このファイルとパスフレーズがあれば、だれでもこの端末として署名でき、この端末宛てに暗号化されたパッケージも開けます。ファイルとパスフレーズは別々に運び（ファイルは記憶媒体で、パスフレーズは口頭で、など）、新しいパソコンで読み込んだらファイルを削除してください。</source>
            <translation>Anyone with this file and the passphrase can sign as this computer and open packages encrypted to it. Carry the file and the passphrase separately (the file on a storage device, the passphrase by word of mouth, for example), and delete the file once it has been imported on the new computer.</translation>
        </message>
        <message>
            <source>もう一度入力してください</source>
            <translation>Type it again</translation>
        </message>
        <message>
            <source>パスフレーズ</source>
            <translation>Passphrase</translation>
        </message>
        <message>
            <source>パスフレーズ（確認）</source>
            <translation>Passphrase (again)</translation>
        </message>
        <message>
            <source>新しいパソコンへ移るときに使います。この端末の署名鍵と暗号鍵、組織と端末IDを1つのファイルに書き出し、パスフレーズで暗号化します。記録（ニーズ・シーズなど）は入りません。</source>
            <translation>Use this when moving to a new computer. This computer's signing and encryption keys, its organisation and its installation ID are written to one file, encrypted with a passphrase. No records (needs, seeds and so on) are in it.</translation>
        </message>
        <message>
            <source>書き出す</source>
            <translation>Export</translation>
        </message>
        <message>
            <source>書き出すファイル</source>
            <translation>File to write</translation>
        </message>
        <message>
            <source>書き出すファイルを指定してください。</source>
            <translation>Choose the file to write.</translation>
        </message>
        <message>
            <source>記録は、古いパソコンの最新のバックアップで移します。「ファイル」→「バックアップ…」で今のバックアップを作り、そのファイルも新しいパソコンへコピーしてください。</source>
            <translation>The records move with the old computer's newest backup: make one now with File → Backups… and copy that file to the new computer too.</translation>
        </message>
        <message>
            <source>鍵の書き出し</source>
            <translation>Export the keys</translation>
        </message>
        <message>
            <source>鍵の書き出し先</source>
            <translation>Export the keys to</translation>
        </message>
        <message>
            <source>鍵の書き出し（新しいパソコンへ移る）</source>
            <translation>Export the keys (moving to a new computer)</translation>
        </message>
        <message>
            <source>鍵を書き出しています…</source>
            <translation>Exporting the keys…</translation>
        </message>
        <message>
            <source>鍵を書き出しました。
ファイル: {path}
鍵ID: {key}

このファイルとパスフレーズは別々に運んでください。新しいパソコンでは、初めて起動したときの初期設定で「古いパソコンの鍵を読み込む…」を押して読み込み、読み込んだらファイルを削除してください。</source>
            <translation>The keys were exported.
File: {path}
Key ID: {key}

Carry this file and the passphrase separately. On the new computer, at the first start, press “Import the keys of the old computer…” in the setup, and delete the file once it is imported.</translation>
        </message>
    </context>
    <context>
        <name>FirstRunDialog</name>
        <message>
            <source>JCIM Desktop の初期設定</source>
            <translation>JCIM Desktop setup</translation>
        </message>
        <message>
            <source>あなたの名前</source>
            <translation>Your name</translation>
        </message>
        <message>
            <source>この端末で記録する組織を選んでください。</source>
            <translation>Choose the organisation this computer records for.</translation>
        </message>
        <message>
            <source>やめる</source>
            <translation>Quit</translation>
        </message>
        <message>
            <source>インフラメンテナンス国民会議 フォーラム活動・KPI 管理へようこそ。
この端末で記録する組織と、あなたの名前を選んでください。名前は変更履歴に記録されます。</source>
            <translation>Welcome to the forum activity and KPI manager of the Japanese Congress for Infrastructure Management.
Choose the organisation this computer records for, and enter your name. Your name is kept in the change history.</translation>
        </message>
        <message>
            <source>デモデータを読み込む（令和6年度の計画と、ニーズ・シーズ・マッチングの例）</source>
            <translation>Load demo data (the FY2024 plan and sample needs, seeds and matchings)</translation>
        </message>
        <message>
            <source>データフォルダ: {folder}</source>
            <translation>Data folder: {folder}</translation>
        </message>
        <message>
            <source>例: 山田 太郎</source>
            <translation>e.g. Taro Yamada</translation>
        </message>
        <message>
            <source>古いパソコンの「設定」で書き出した鍵を読み込み、同じ組織・同じ鍵で始めます</source>
            <translation>Imports the keys exported in the old computer's Settings and starts with the same organisation and keys</translation>
        </message>
        <message>
            <source>古いパソコンの鍵を読み込む…</source>
            <translation>Import the keys of the old computer…</translation>
        </message>
        <message>
            <source>名前を入力してください（変更履歴に記録されます）。</source>
            <translation>Enter your name (it is kept in the change history).</translation>
        </message>
        <message>
            <source>地方フォーラム・全国フォーラムは自分の組織の記録を入力します。事務局は全国の集計と、全国フォーラム・部会の記録の入力を行います。</source>
            <translation>Regional and national forums enter their own records. The secretariat compiles the national figures and enters the records of the national forums and committees.</translation>
        </message>
        <message>
            <source>始める</source>
            <translation>Start</translation>
        </message>
        <message>
            <source>新しいパソコンへ移ってきたときは、組織を選ぶ代わりに、古いパソコンで書き出した鍵を読み込みます。</source>
            <translation>Moving from another computer? Instead of choosing an organisation, import the keys exported on the old computer.</translation>
        </message>
        <message>
            <source>空のデータベースで新しく始めます。この端末の鍵はそのまま使います。
この端末で記録していた組織と、あなたの名前を選んでください。名前は変更履歴に記録されます。</source>
            <translation>Starting fresh with an empty database. This computer keeps its key.
Choose the organisation this computer recorded for, and your name. Your name is recorded in the change history.</translation>
        </message>
        <message>
            <source>組織</source>
            <translation>Organisation</translation>
        </message>
        <message>
            <source>組織を選ぶと始められます</source>
            <translation>Choose an organisation to start</translation>
        </message>
        <message>
            <source>組織を選んでください</source>
            <translation>Choose an organisation</translation>
        </message>
    </context>
    <context>
        <name>FunnelChart</name>
        <message>
            <source>{previous}→{step} {rate}</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>{step} {count}</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>↓ {rate}  {previous}→{step}</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>↓ {rate}  {previous}→{step}  ここで最も多く止まっています</source>
            <translation>↓ {rate}  {previous} → {step}  most pairings stall here</translation>
        </message>
        <message>
            <source>不成立</source>
            <translation>Dropped</translation>
        </message>
    </context>
    <context>
        <name>GuideWindow</name>
        <message>
            <source>この操作ガイドは日本語で書かれています。</source>
            <translation>This user guide is written in Japanese.</translation>
        </message>
        <message>
            <source>操作ガイド — JCIM Desktop</source>
            <translation>User guide — JCIM Desktop</translation>
        </message>
        <message>
            <source>操作ガイドのファイルが見つかりません: {path}</source>
            <translation>The user guide's file was not found: {path}</translation>
        </message>
        <message>
            <source>目次</source>
            <translation>Contents</translation>
        </message>
    </context>
    <context>
        <name>ImportIdentityDialog</name>
        <message>
            <source>「参照…」で選んでください</source>
            <translation>Choose it with “Browse…”</translation>
        </message>
        <message>
            <source>あなたの名前</source>
            <translation>Your name</translation>
        </message>
        <message>
            <source>データフォルダ: {folder}</source>
            <translation>Data folder: {folder}</translation>
        </message>
        <message>
            <source>パスフレーズ</source>
            <translation>Passphrase</translation>
        </message>
        <message>
            <source>例: 山田 太郎</source>
            <translation>e.g. Taro Yamada</translation>
        </message>
        <message>
            <source>古いパソコンで書き出した鍵のファイル</source>
            <translation>The key file written on the old computer</translation>
        </message>
        <message>
            <source>古いパソコンの「設定」→「鍵を書き出す…」で書き出した鍵のファイルと、そのときのパスフレーズを入力してください。このパソコンで、古いパソコンと同じ組織・同じ鍵で始めます。事務局やほかの端末は、この端末のパッケージを今までどおり取り込めます。</source>
            <translation>Give the key file written on the old computer with Settings → “Export the keys…” and the passphrase used then. This computer starts with the old computer's organisation and keys, so the secretariat and other computers go on accepting its packages as before.</translation>
        </message>
        <message>
            <source>古いパソコンの鍵を読み込む</source>
            <translation>Import the keys of the old computer</translation>
        </message>
        <message>
            <source>名前を入力してください（変更履歴に記録されます）。</source>
            <translation>Enter your name (it is kept in the change history).</translation>
        </message>
        <message>
            <source>書き出したときのパスフレーズ</source>
            <translation>The passphrase used for the export</translation>
        </message>
        <message>
            <source>書き出したときのパスフレーズを入力してください。</source>
            <translation>Enter the passphrase used for the export.</translation>
        </message>
        <message>
            <source>読み込む</source>
            <translation>Import</translation>
        </message>
        <message>
            <source>鍵のファイル</source>
            <translation>Key file</translation>
        </message>
        <message>
            <source>鍵のファイルに記録は入っていません。読み込んだあと、古いパソコンから持ってきた最新のバックアップを復元してください。古いパソコンでは、もうこのアプリを使わないでください。</source>
            <translation>The key file holds no records: after the import, restore the newest backup brought from the old computer. Do not use this application on the old computer any more.</translation>
        </message>
        <message>
            <source>鍵のファイルを指定してください。</source>
            <translation>Choose the key file.</translation>
        </message>
        <message>
            <source>鍵の読み込み</source>
            <translation>Import the keys</translation>
        </message>
        <message>
            <source>鍵を読み込みました: {org}、鍵ID {key}

続けて、古いパソコンから持ってきた最新のバックアップのファイルを、このパソコンのバックアップの保存先
{folder}
にコピーし、「ファイル」→「バックアップ…」でそのバックアップを選んで復元してください。

バックアップがなければ、「同期」画面で事務局の公開鍵を信頼し直し、事務局の全国パッケージを取り込むと、送ってあった記録が戻ります。
古いパソコンでは、もうこのアプリを使わないでください。</source>
            <translation>The keys were imported: {org}, key ID {key}

Next, copy the newest backup file brought from the old computer into this computer's backup folder
{folder}
then choose that backup in File → Backups… and restore it.

Without a backup, trust the secretariat's public key again on the Sync page and import the secretariat's national package: what was sent comes back.
Do not use this application on the old computer any more.</translation>
        </message>
        <message>
            <source>鍵を読み込んでいます…</source>
            <translation>Importing the keys…</translation>
        </message>
    </context>
    <context>
        <name>ImportPreviewDialog</name>
        <message>
            <source>{issue}・この端末からは既に同じか新しい号を受け取っています（内容の照合のみ）</source>
            <translation>{issue} · the same or a newer issue from this computer was already received (contents are only compared)</translation>
        </message>
        <message>
            <source>{issue}・新しい号です</source>
            <translation>{issue} · a new issue</translation>
        </message>
        <message>
            <source>{key}（この端末の鍵）</source>
            <translation>{key} (this computer’s key)</translation>
        </message>
        <message>
            <source>{org} から届いた同期パッケージ</source>
            <translation>Sync package from {org}</translation>
        </message>
        <message>
            <source>{org}（端末 {installation}）</source>
            <translation>{org} (computer {installation})</translation>
        </message>
        <message>
            <source>「取り込む」を押すまで、この端末のデータは変わりません。取り込む前に自動でバックアップを取ります。</source>
            <translation>Nothing on this computer changes until you press "Import". A backup is taken automatically before importing.</translation>
        </message>
        <message>
            <source>このアプリが知らない種類の記録（{kinds}）は取り込まれません。アプリを最新版にしてください。</source>
            <translation>Kinds of records this app does not know ({kinds}) are not imported. Update the app to the latest version.</translation>
        </message>
        <message>
            <source>このパソコン宛てに暗号化されていました（メモリー上で復号済み）</source>
            <translation>Encrypted for this computer (decrypted in memory)</translation>
        </message>
        <message>
            <source>キャンセル</source>
            <translation>Cancel</translation>
        </message>
        <message>
            <source>ファイル</source>
            <translation>File</translation>
        </message>
        <message>
            <source>作成日時</source>
            <translation>Created</translation>
        </message>
        <message>
            <source>取り込む</source>
            <translation>Import</translation>
        </message>
        <message>
            <source>取り込むと　追加 {inserted} 件・更新 {updated} 件・変更なし {unchanged} 件・競合 {conflicts} 件</source>
            <translation>Importing adds {inserted}, updates {updated}, leaves {unchanged} unchanged, {conflicts} in conflict</translation>
        </message>
        <message>
            <source>取り込む内容の確認</source>
            <translation>Check what will be imported</translation>
        </message>
        <message>
            <source>号</source>
            <translation>Issue</translation>
        </message>
        <message>
            <source>含まない</source>
            <translation>Not included</translation>
        </message>
        <message>
            <source>含む</source>
            <translation>Included</translation>
        </message>
        <message>
            <source>担当者連絡先</source>
            <translation>Contact person</translation>
        </message>
        <message>
            <source>暗号化</source>
            <translation>Encryption</translation>
        </message>
        <message>
            <source>競合が {count} 件あります。取り込んだ後、「競合」ページで確認してください（どちらの版も失われません）。</source>
            <translation>{count} records are in conflict. After importing, review them on the “Conflicts” page (neither version is lost).</translation>
        </message>
        <message>
            <source>範囲</source>
            <translation>Scope</translation>
        </message>
        <message>
            <source>記載なし</source>
            <translation>Not stated</translation>
        </message>
        <message>
            <source>送り主</source>
            <translation>Sender</translation>
        </message>
        <message>
            <source>鍵ID</source>
            <translation>Key ID</translation>
        </message>
    </context>
    <context>
        <name>KpiCardWidget</name>
        <message>
            <source>{fiscal_year}の確定値です（{date} {by}）。</source>
            <translation>{fiscal_year}'s closed figure ({date}, {by}).</translation>
        </message>
        <message>
            <source>{numerator} / {denominator} 市区町村</source>
            <translation>{numerator} / {denominator} municipalities</translation>
        </message>
        <message>
            <source>クリックすると、この数値のもとになった記録を一覧します</source>
            <translation>Click to list the records behind this figure</translation>
        </message>
        <message>
            <source>全国目標 {target}（参考）</source>
            <translation>National target: {target}</translation>
        </message>
        <message>
            <source>全国目標 未設定</source>
            <translation>No national target set</translation>
        </message>
        <message>
            <source>全国計 {value}</source>
            <translation>National total: {value}</translation>
        </message>
        <message>
            <source>延べ数（実数 {count}団体）</source>
            <translation>Total count ({count} distinct)</translation>
        </message>
        <message>
            <source>当フォーラム {value}（全国計の {share}）</source>
            <translation>This forum: {value} ({share} of the national total)</translation>
        </message>
        <message>
            <source>目標 {target}</source>
            <translation>Target: {target}</translation>
        </message>
        <message>
            <source>目標 {target} に対する達成率</source>
            <translation>Achievement against the target of {target}</translation>
        </message>
        <message>
            <source>目標 未設定</source>
            <translation>No target set</translation>
        </message>
        <message>
            <source>確定</source>
            <translation>Closed</translation>
        </message>
        <message>
            <source>確定後に記録が変わり、現在の記録では {value} です。</source>
            <translation>The records have changed since: they now give {value}.</translation>
        </message>
        <message>
            <source>達成率 {rate}</source>
            <translation>Achieved {rate}</translation>
        </message>
    </context>
    <context>
        <name>KpiReportDialog</name>
        <message>
            <source>KPI 実績報告</source>
            <translation>KPI results report</translation>
        </message>
        <message>
            <source>KPIごとに、数のもとになった記録（活動・行事、自治体ニーズ、市区町村など）の一覧を付録として付けます。記録が多いとページ数が増えます。</source>
            <translation>Adds an appendix listing, for each KPI, the records behind its figure (activities &amp; events, municipal needs, municipalities…). Many records make many pages.</translation>
        </message>
        <message>
            <source>もとになった記録の一覧を付ける</source>
            <translation>Append the lists of the records behind the figures</translation>
        </message>
        <message>
            <source>保存先を選ぶ…</source>
            <translation>Choose where to save…</translation>
        </message>
        <message>
            <source>年度</source>
            <translation>Fiscal year</translation>
        </message>
    </context>
    <context>
        <name>ListExportDialog</name>
        <message>
            <source>Excel への書き出し</source>
            <translation>Export to Excel</translation>
        </message>
        <message>
            <source>{list}を、表示中の絞り込みと並び順で Excel に書き出します。</source>
            <translation>Exports {list} to Excel, with the filter and order shown.</translation>
        </message>
        <message>
            <source>保存先を選ぶ…</source>
            <translation>Choose where to save…</translation>
        </message>
        <message>
            <source>担当者の氏名・部署・メールアドレス・電話番号の列を加えます。個人情報です。必要なときだけ含め、書き出したファイルの扱いに注意してください。</source>
            <translation>Adds columns with the contact person's name, department, e-mail address and phone number. This is personal data: include it only when needed, and handle the exported file with care.</translation>
        </message>
        <message>
            <source>連絡先を含める</source>
            <translation>Include contacts</translation>
        </message>
    </context>
    <context>
        <name>ListPage</name>
        <message>
            <source>{record}「{name}」</source>
            <translation>{record} “{name}”</translation>
        </message>
        <message>
            <source>{record}「{name}」を削除しますか？

削除した記録は「元に戻す」（Ctrl+Z）で戻せます。</source>
            <translation>Delete “{name}” from {record}?

A deleted record can be brought back with Undo (Ctrl+Z).</translation>
        </message>
        <message>
            <source>{record}は、あなたが削除した後に{org}から受け取った変更で更新されました（{when}）。</source>
            <translation>{record} was updated after you deleted it, by a change received from {org} ({when}). </translation>
        </message>
        <message>
            <source>{record}は、あなたが削除した後に{who}が元に戻しました（{when}）。</source>
            <translation>{record} was brought back by {who} after you deleted it ({when}). </translation>
        </message>
        <message>
            <source>{record}は、あなたが削除した後に{who}が変更しました（{when}）。</source>
            <translation>{record} was changed by {who} after you deleted it ({when}). </translation>
        </message>
        <message>
            <source>{record}は、一覧に表示された後に{org}から受け取った変更で更新されました（{when}）。</source>
            <translation>{record} was updated after the list showed it, by a change received from {org} ({when}). </translation>
        </message>
        <message>
            <source>{record}は、一覧に表示された後に{who}が削除しました（{when}）。</source>
            <translation>{record} was deleted by {who} after the list showed it ({when}). </translation>
        </message>
        <message>
            <source>{record}は、一覧に表示された後に{who}が変更しました（{when}）。</source>
            <translation>{record} was changed by {who} after the list showed it ({when}). </translation>
        </message>
        <message>
            <source>{record}を新しく登録します（Ctrl+N）</source>
            <translation>Add a new record to {record} (Ctrl+N)</translation>
        </message>
        <message>
            <source>「{column}」の列では並べ替えできません</source>
            <translation>The “{column}” column cannot be sorted</translation>
        </message>
        <message>
            <source>「{name}」を元に戻しました</source>
            <translation>Restored “{name}”</translation>
        </message>
        <message>
            <source>すべての市区町村</source>
            <translation>All municipalities</translation>
        </message>
        <message>
            <source>すべての年度</source>
            <translation>All years</translation>
        </message>
        <message>
            <source>すべての施設種別</source>
            <translation>All facility types</translation>
        </message>
        <message>
            <source>すべての状況</source>
            <translation>All statuses</translation>
        </message>
        <message>
            <source>すべての組織</source>
            <translation>All organisations</translation>
        </message>
        <message>
            <source>すべての都道府県</source>
            <translation>All prefectures</translation>
        </message>
        <message>
            <source>ほかの人が先に変更しました</source>
            <translation>Someone else changed it first</translation>
        </message>
        <message>
            <source>一覧を読み込み直しました。</source>
            <translation>The list has been read again.</translation>
        </message>
        <message>
            <source>一覧を読み込み直しました。最新の内容を確かめてください。</source>
            <translation>The list has been read again; check the current contents.</translation>
        </message>
        <message>
            <source>他組織の記録は閲覧のみです</source>
            <translation>Other organisations' records are read-only</translation>
        </message>
        <message>
            <source>他組織の記録は閲覧のみです。「複製」で自組織の記録として写せます。</source>
            <translation>Other organisations' records are read-only. “Duplicate” copies one as your own.</translation>
        </message>
        <message>
            <source>元に戻していません。</source>
            <translation>It has not been brought back.</translation>
        </message>
        <message>
            <source>元に戻す</source>
            <translation>Undo</translation>
        </message>
        <message>
            <source>元に戻せる削除はありません</source>
            <translation>Nothing to undo</translation>
        </message>
        <message>
            <source>削除</source>
            <translation>Delete</translation>
        </message>
        <message>
            <source>削除した「{name}」を元に戻します（Ctrl+Z）</source>
            <translation>Undo the delete of “{name}” (Ctrl+Z)</translation>
        </message>
        <message>
            <source>削除していません。一覧を最新の内容に読み込み直しました。確かめてから、削除する場合はもう一度「削除」を押してください。</source>
            <translation>It has not been deleted. The list now shows the current contents; check them, and to delete it, press Delete again.</translation>
        </message>
        <message>
            <source>削除しました（元に戻す: Ctrl+Z）</source>
            <translation>Deleted (undo: Ctrl+Z)</translation>
        </message>
        <message>
            <source>削除の確認</source>
            <translation>Confirm deletion</translation>
        </message>
        <message>
            <source>市区町村</source>
            <translation>Municipality</translation>
        </message>
        <message>
            <source>市区町村で絞り込みます</source>
            <translation>Filter by municipality</translation>
        </message>
        <message>
            <source>年度</source>
            <translation>Fiscal year</translation>
        </message>
        <message>
            <source>年度で絞り込みます</source>
            <translation>Filter by fiscal year</translation>
        </message>
        <message>
            <source>数えています…</source>
            <translation>Counting…</translation>
        </message>
        <message>
            <source>新規</source>
            <translation>New</translation>
        </message>
        <message>
            <source>施設種別</source>
            <translation>Facility types</translation>
        </message>
        <message>
            <source>施設種別で絞り込みます</source>
            <translation>Filter by facility type</translation>
        </message>
        <message>
            <source>日時不明</source>
            <translation>time unknown</translation>
        </message>
        <message>
            <source>検索</source>
            <translation>Search</translation>
        </message>
        <message>
            <source>検索（かな・カナ・半角どれでも）</source>
            <translation>Search (kana or kanji)</translation>
        </message>
        <message>
            <source>状況</source>
            <translation>Status</translation>
        </message>
        <message>
            <source>状況で絞り込みます</source>
            <translation>Filter by status</translation>
        </message>
        <message>
            <source>組織</source>
            <translation>Organisation</translation>
        </message>
        <message>
            <source>組織で絞り込みます（その組織が主催した活動・行事と、共催した活動・行事）</source>
            <translation>Filter by organisation (the activities and events it held or co-hosted)</translation>
        </message>
        <message>
            <source>編集</source>
            <translation>Edit</translation>
        </message>
        <message>
            <source>自組織（{org}）</source>
            <translation>Own organisation ({org})</translation>
        </message>
        <message>
            <source>複製</source>
            <translation>Duplicate</translation>
        </message>
        <message>
            <source>選んだ記録を写して新しく登録します（Ctrl+D）</source>
            <translation>Copy the selected record into a new one (Ctrl+D)</translation>
        </message>
        <message>
            <source>選んだ記録を削除します（Delete）</source>
            <translation>Delete the selected record (Delete)</translation>
        </message>
        <message>
            <source>選んだ記録を編集します（ダブルクリック、Ctrl+E）</source>
            <translation>Edit the selected record (double-click, Ctrl+E)</translation>
        </message>
        <message>
            <source>都道府県</source>
            <translation>Prefecture</translation>
        </message>
        <message>
            <source>都道府県で絞り込みます</source>
            <translation>Filter by prefecture</translation>
        </message>
    </context>
    <context>
        <name>LocalGovernmentListModel</name>
        <message>
            <source>{name}（{kind}・団体コード {code}）</source>
            <translation>{name} ({kind}, code {code})</translation>
        </message>
    </context>
    <context>
        <name>MainWindow</name>
        <message>
            <source>JCIM Desktop {version}
インフラメンテナンス国民会議 フォーラム活動・KPI 管理

組織: {org}
データフォルダ: {folder}</source>
            <translation>JCIM Desktop {version}
Japan Congress for Infrastructure Management — forum activities and KPIs

Organisation: {org}
Data folder: {folder}</translation>
        </message>
        <message>
            <source>JCIM Desktop — {org}</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>JCIM Desktop について</source>
            <translation>About JCIM Desktop</translation>
        </message>
        <message>
            <source>JCIM Desktop について(&amp;A)</source>
            <translation>&amp;About JCIM Desktop</translation>
        </message>
        <message>
            <source>{org}｜{user}</source>
            <translation>{org} | {user}</translation>
        </message>
        <message>
            <source>「ファイル」→「バックアップ…」で、問題のないバックアップ（{name}）を復元してください。</source>
            <translation>Restore a good backup ({name}) with File → Backups….</translation>
        </message>
        <message>
            <source>システム担当者に連絡してください。これ以上の入力は控えてください。</source>
            <translation>Contact your system administrator, and do not enter anything more for now.</translation>
        </message>
        <message>
            <source>データベースの点検</source>
            <translation>Database check</translation>
        </message>
        <message>
            <source>データベースの点検で問題が見つかりました。</source>
            <translation>The daily check of the database found a problem.</translation>
        </message>
        <message>
            <source>バックアップ(&amp;B)…</source>
            <translation>&amp;Backups…</translation>
        </message>
        <message>
            <source>バックアップから復元したデータを表示しています。</source>
            <translation>Showing the data restored from the backup.</translation>
        </message>
        <message>
            <source>ファイル(&amp;F)</source>
            <translation>&amp;File</translation>
        </message>
        <message>
            <source>ヘルプ(&amp;H)</source>
            <translation>&amp;Help</translation>
        </message>
        <message>
            <source>元に戻せる削除はありません</source>
            <translation>Nothing to undo</translation>
        </message>
        <message>
            <source>公開鍵を書き出す(&amp;K)…</source>
            <translation>Export public &amp;key…</translation>
        </message>
        <message>
            <source>共有データベース: {location}</source>
            <translation>Shared database: {location}</translation>
        </message>
        <message>
            <source>削除(&amp;L)</source>
            <translation>De&amp;lete</translation>
        </message>
        <message>
            <source>削除した「{name}」を元に戻します（Ctrl+Z）</source>
            <translation>Undo the delete of “{name}” (Ctrl+Z)</translation>
        </message>
        <message>
            <source>削除を取り消す(&amp;U)</source>
            <translation>&amp;Undo delete</translation>
        </message>
        <message>
            <source>削除を取り消す（「{name}」を元に戻す）(&amp;U)</source>
            <translation>&amp;Undo delete (restore “{name}”)</translation>
        </message>
        <message>
            <source>同期パッケージを取り込む(&amp;I)…</source>
            <translation>&amp;Import sync package…</translation>
        </message>
        <message>
            <source>同期パッケージを書き出す(&amp;E)…</source>
            <translation>&amp;Export sync package…</translation>
        </message>
        <message>
            <source>操作ガイド(&amp;G)</source>
            <translation>User &amp;guide</translation>
        </message>
        <message>
            <source>新規作成(&amp;N)</source>
            <translation>&amp;New</translation>
        </message>
        <message>
            <source>最新の情報に更新(&amp;R)</source>
            <translation>&amp;Refresh</translation>
        </message>
        <message>
            <source>検索(&amp;F)</source>
            <translation>&amp;Find</translation>
        </message>
        <message>
            <source>競合（{count}）</source>
            <translation>Conflicts ({count})</translation>
        </message>
        <message>
            <source>終了(&amp;X)</source>
            <translation>E&amp;xit</translation>
        </message>
        <message>
            <source>編集(&amp;E)</source>
            <translation>&amp;Edit</translation>
        </message>
        <message>
            <source>編集(&amp;E)…</source>
            <translation>&amp;Edit…</translation>
        </message>
        <message>
            <source>表示(&amp;V)</source>
            <translation>&amp;View</translation>
        </message>
        <message>
            <source>複製(&amp;D)</source>
            <translation>&amp;Duplicate</translation>
        </message>
        <message numerus="yes">
            <source>解決していない競合が %n 件あります</source>
            <translation>
                <numerusform>1 conflict is not resolved yet</numerusform>
                <numerusform>%n conflicts are not resolved yet</numerusform>
            </translation>
        </message>
        <message>
            <source>設定(&amp;S)…</source>
            <translation>&amp;Settings…</translation>
        </message>
        <message>
            <source>鍵を信頼する(&amp;T)…</source>
            <translation>&amp;Trust a key…</translation>
        </message>
    </context>
    <context>
        <name>MatchingDialog</name>
        <message>
            <source>この段階に進める</source>
            <translation>Move to this stage</translation>
        </message>
        <message>
            <source>これ以上進める段階はありません</source>
            <translation>There is no further stage</translation>
        </message>
        <message>
            <source>シーズ（技術）</source>
            <translation>Technology seeds</translation>
        </message>
        <message>
            <source>ピッチイベント</source>
            <translation>Pitch event</translation>
        </message>
        <message>
            <source>ピッチイベント名で検索して選ぶ（任意）</source>
            <translation>Search by pitch event name and choose (optional)</translation>
        </message>
        <message>
            <source>マッチング</source>
            <translation>Matching</translation>
        </message>
        <message>
            <source>マッチング「{name}」を保存しました</source>
            <translation>Saved matching “{name}”</translation>
        </message>
        <message>
            <source>マッチングの新規登録</source>
            <translation>New matching</translation>
        </message>
        <message>
            <source>マッチングの編集</source>
            <translation>Edit matching</translation>
        </message>
        <message>
            <source>マッチング検討の開始日</source>
            <translation>Date consideration started</translation>
        </message>
        <message>
            <source>マッチング（閲覧のみ）</source>
            <translation>Matching (read-only)</translation>
        </message>
        <message>
            <source>メモ</source>
            <translation>Note</translation>
        </message>
        <message>
            <source>メモ（任意）</source>
            <translation>Note (optional)</translation>
        </message>
        <message>
            <source>任意（例: 第6回ニーズ調査から）</source>
            <translation>Optional (e.g. from the 6th needs survey)</translation>
        </message>
        <message>
            <source>例: 2024-07-01、R6.7.1、令和6年7月1日</source>
            <translation>e.g. 2024-07-01, R6.7.1, 令和6年7月1日</translation>
        </message>
        <message>
            <source>日付</source>
            <translation>Date</translation>
        </message>
        <message>
            <source>次の段階</source>
            <translation>Next stage</translation>
        </message>
        <message>
            <source>段階</source>
            <translation>Stage</translation>
        </message>
        <message>
            <source>登録組織</source>
            <translation>Registered by</translation>
        </message>
        <message>
            <source>自治体ニーズ</source>
            <translation>Municipal needs</translation>
        </message>
        <message>
            <source>進捗段階</source>
            <translation>Progress stage</translation>
        </message>
    </context>
    <context>
        <name>MatchingsPage</name>
        <message>
            <source>{date}　実証 {count} 件</source>
            <translation>{date}  Field trials: {count}</translation>
        </message>
        <message>
            <source>{year}の件数: {steps}（{dropped}）</source>
            <translation>{year}: {steps} ({dropped})</translation>
        </message>
        <message>
            <source>「{stage}」に進める…</source>
            <translation>Move to “{stage}”…</translation>
        </message>
        <message>
            <source>「{stage}」を {date} で記録しました。</source>
            <translation>Recorded “{stage}” on {date}.</translation>
        </message>
        <message>
            <source>ほかの人が先に変更しました</source>
            <translation>Someone else changed it first</translation>
        </message>
        <message>
            <source>カードを選んで「次の段階へ」で段階と日付を記録します。ダブルクリックで詳細を編集します。</source>
            <translation>Select a card and press "Next stage" to record the stage and date. Double-click to edit the details.</translation>
        </message>
        <message>
            <source>年度</source>
            <translation>Fiscal year</translation>
        </message>
        <message>
            <source>新しい順に {shown} 件を表示しています（ほか {more} 件）。すべては「レポート」のマッチング情報シートや Excel 出力で確認できます。</source>
            <translation>Showing the newest {shown} ({more} more). See them all in the matching sheets or the Excel export under Reports.</translation>
        </message>
        <message>
            <source>新規マッチング</source>
            <translation>New matching</translation>
        </message>
        <message>
            <source>次の段階へ…</source>
            <translation>Next stage…</translation>
        </message>
        <message>
            <source>現場試行を登録…</source>
            <translation>Register a field trial…</translation>
        </message>
        <message>
            <source>編集…</source>
            <translation>Edit…</translation>
        </message>
        <message>
            <source>（未受信のシーズ）</source>
            <translation>(seed not received)</translation>
        </message>
        <message>
            <source>（未受信のニーズ）</source>
            <translation>(need not received)</translation>
        </message>
    </context>
    <context>
        <name>MunicipalityListEdit</name>
        <message numerus="yes">
            <source>%n 団体</source>
            <translation>
                <numerusform>%n municipality</numerusform>
                <numerusform>%n municipalities</numerusform>
            </translation>
        </message>
        <message>
            <source>まだありません（なくても保存できます）</source>
            <translation>None yet (you can save without)</translation>
        </message>
        <message>
            <source>不明なコード {code}</source>
            <translation>Unknown code {code}</translation>
        </message>
        <message>
            <source>団体コード {code}</source>
            <translation>Code {code}</translation>
        </message>
        <message>
            <source>追加する自治体を名前・よみ・団体コードで検索（例: 福山、ふくやま、34207）</source>
            <translation>Search for a municipality to add (e.g. 福山市, 34207)</translation>
        </message>
        <message>
            <source>選んだ自治体を外す</source>
            <translation>Remove the selected municipality</translation>
        </message>
    </context>
    <context>
        <name>MunicipalityMasterPage</name>
        <message>
            <source>{date}の時点ではまだ記録がありません（参加していないものとして数えます）。</source>
            <translation>Nothing recorded yet on {date} (counted as not taking part).</translation>
        </message>
        <message>
            <source>{date}の時点の状況</source>
            <translation>Status on {date}</translation>
        </message>
        <message>
            <source>{forum}ブロック</source>
            <translation>{forum} block</translation>
        </message>
        <message>
            <source>{name}の変更履歴</source>
            <translation>Change history of {name}</translation>
        </message>
        <message>
            <source>すべての都道府県</source>
            <translation>All prefectures</translation>
        </message>
        <message>
            <source>コード</source>
            <translation>Code</translation>
        </message>
        <message>
            <source>チェックを変えると、この日からの変更として記録されます。表と率はこの日の時点の状況です。</source>
            <translation>Ticking a box records a change from this date. The table and rates show the status on this date.</translation>
        </message>
        <message>
            <source>全国（{date}時点）: 行政会員 {admin} / {all}（{admin_rate}）　市区町村長会議 {mayors} / {all}（{mayors_rate}）</source>
            <translation>Nationwide on {date}: government members {admin} / {all} ({admin_rate}), Mayors' Council {mayors} / {all} ({mayors_rate})</translation>
        </message>
        <message>
            <source>加入率</source>
            <translation>Rate</translation>
        </message>
        <message>
            <source>参画率</source>
            <translation>Rate</translation>
        </message>
        <message>
            <source>基準日</source>
            <translation>Reference date</translation>
        </message>
        <message>
            <source>変更の記録はありません（行政会員・市区町村長会議とも参加していないものとして数えます）。</source>
            <translation>No changes recorded (counted as neither a government member nor taking part in the Mayors' Council).</translation>
        </message>
        <message>
            <source>変更履歴</source>
            <translation>Change history</translation>
        </message>
        <message>
            <source>変更日</source>
            <translation>Change date</translation>
        </message>
        <message>
            <source>太字は{date}の時点で有効な状況です。各年度の率は年度末（3月31日）の時点の状況で数えます。</source>
            <translation>The status in force on {date} is in bold. Each fiscal year's rates count the status on the year's last day (Mar 31).</translation>
        </message>
        <message>
            <source>市区町村</source>
            <translation>Municipality</translation>
        </message>
        <message>
            <source>市区町村を選ぶと、行政会員・市区町村長会議の参画の変更履歴が表示されます。</source>
            <translation>Select a municipality to see the history of its government membership and Mayors' Council participation.</translation>
        </message>
        <message>
            <source>市区町村名・よみ・コードで絞り込み</source>
            <translation>Filter by name or code</translation>
        </message>
        <message>
            <source>市区町村数</source>
            <translation>Municipalities</translation>
        </message>
        <message>
            <source>市区町村長会議</source>
            <translation>Mayors' Council</translation>
        </message>
        <message>
            <source>市区町村長会議 参画</source>
            <translation>Mayors' Council participation</translation>
        </message>
        <message>
            <source>市区町村長会議への参画率</source>
            <translation>Mayors' Council participation rate</translation>
        </message>
        <message>
            <source>種別</source>
            <translation>Type</translation>
        </message>
        <message>
            <source>自治体マスタは事務局が管理しています（閲覧のみ）。表と率は基準日の時点の状況です。事務局の同期パッケージを取り込むと最新になります。</source>
            <translation>The municipality master is kept by the secretariat (read-only). The table and rates show the status on the reference date. Import the secretariat's sync package to bring it up to date.</translation>
        </message>
        <message>
            <source>行政会員</source>
            <translation>Government members</translation>
        </message>
        <message>
            <source>行政会員 加入率</source>
            <translation>Government membership rate</translation>
        </message>
        <message>
            <source>行政会員・市区町村長会議の参画は、チェックで変更できます。変更は変更日からの状況として記録され、同期パッケージで各フォーラムに届きます。表と率は変更日の時点の状況です。</source>
            <translation>Tick a box to change government membership or Mayors' Council participation. The change is recorded as the status from the change date on and reaches every forum in the sync packages. The table and rates show the status on the change date.</translation>
        </message>
        <message>
            <source>表と率はこの日の時点の状況です。</source>
            <translation>The table and rates show the status on this date.</translation>
        </message>
        <message>
            <source>記録した人</source>
            <translation>Recorded by</translation>
        </message>
        <message>
            <source>記録日時</source>
            <translation>Recorded at</translation>
        </message>
        <message>
            <source>都道府県</source>
            <translation>Prefecture</translation>
        </message>
        <message>
            <source>都道府県・ブロック</source>
            <translation>Prefecture/block</translation>
        </message>
        <message>
            <source>都道府県・ブロック別の加入率・参画率</source>
            <translation>Membership and participation by prefecture and block</translation>
        </message>
    </context>
    <context>
        <name>MunicipalityPicker</name>
        <message>
            <source>団体コード {code}</source>
            <translation>Code {code}</translation>
        </message>
        <message>
            <source>市区町村の名前・よみ・団体コードで検索（例: 福山、ふくやま、34207）</source>
            <translation>Search by municipality name, reading or code (e.g. 福山市, 34207)</translation>
        </message>
    </context>
    <context>
        <name>NationalTallyPage</name>
        <message>
            <source>KPI集計表（総合計・小計）</source>
            <translation>KPI table (grand total and subtotals)</translation>
        </message>
        <message>
            <source>{fiscal_year}の数値を確定しました。</source>
            <translation>{fiscal_year}'s figures are closed.</translation>
        </message>
        <message>
            <source>{fiscal_year}の確定を取り消しました。</source>
            <translation>{fiscal_year} is reopened.</translation>
        </message>
        <message>
            <source>{fiscal_year}の確定を取り消しますか？
確定した数値は使われなくなり、この年度の数値は記録から数え直されます。取り消しは次の全国配布パッケージで各フォーラムにも届きます。</source>
            <translation>Reopen {fiscal_year}?
The closed figures will no longer be used: the year's figures are counted from the records again. The reopening reaches every forum with the next national package.</translation>
        </message>
        <message>
            <source>{fiscal_year}は公表値で確定済みです（{date} {by}）</source>
            <translation>{fiscal_year} is closed with published figures ({date}, {by})</translation>
        </message>
        <message>
            <source>{fiscal_year}は確定済みです（{date} {by}）</source>
            <translation>{fiscal_year} is closed ({date}, {by})</translation>
        </message>
        <message>
            <source>{fiscal_year}を集計しています…</source>
            <translation>Tallying {fiscal_year}…</translation>
        </message>
        <message>
            <source>{kpi} 合計は同じで内訳が変わりました</source>
            <translation>{kpi}: same total, the breakdown changed</translation>
        </message>
        <message>
            <source>{kpi} 確定 {closed} → 現在 {live}（{change}）</source>
            <translation>{kpi}: closed {closed} → now {live} ({change})</translation>
        </message>
        <message>
            <source>{points}ポイント</source>
            <translation>{points} points</translation>
        </message>
        <message>
            <source>{rate}（{numerator}／{denominator}）</source>
            <translation>{rate} ({numerator}/{denominator})</translation>
        </message>
        <message>
            <source>この年度の数値を公式の数値として確定します</source>
            <translation>Fix this year's figures as its official figures</translation>
        </message>
        <message>
            <source>この年度はすでに確定しています</source>
            <translation>This year is already closed</translation>
        </message>
        <message>
            <source>キャンセル</source>
            <translation>Cancel</translation>
        </message>
        <message>
            <source>フォーラム
実施数</source>
            <translation>Forums
held</translation>
        </message>
        <message>
            <source>マッチング
成立数</source>
            <translation>Matchings
established</translation>
        </message>
        <message>
            <source>マッチング
検討数</source>
            <translation>Matchings
considered</translation>
        </message>
        <message>
            <source>マッチング等
合計</source>
            <translation>Matchings
etc. total</translation>
        </message>
        <message>
            <source>事務局｜{fiscal_year}の KPI 実績</source>
            <translation>Secretariat | KPI results, {fiscal_year}</translation>
        </message>
        <message>
            <source>事務局｜{fiscal_year}の KPI 実績（現在の記録）</source>
            <translation>Secretariat | KPI results, {fiscal_year} (current records)</translation>
        </message>
        <message>
            <source>事務局｜{fiscal_year}の KPI 実績（確定値）</source>
            <translation>Secretariat | KPI results, {fiscal_year} (closed figures)</translation>
        </message>
        <message>
            <source>全国フォーラム</source>
            <translation>National forums</translation>
        </message>
        <message>
            <source>全国フォーラム小計</source>
            <translation>National forums subtotal</translation>
        </message>
        <message>
            <source>公表値のない KPI と組織別の内訳は、記録から数えた数値です。</source>
            <translation>KPIs without a published figure, and the breakdown by organisation, are counted from the records.</translation>
        </message>
        <message>
            <source>出前授業等
開催数</source>
            <translation>Outreach
classes etc.</translation>
        </message>
        <message>
            <source>同じ自治体を複数の組織が支援しても1団体と数えた数</source>
            <translation>A municipality supported by several organisations counts once</translation>
        </message>
        <message>
            <source>地方フォーラム</source>
            <translation>Regional forums</translation>
        </message>
        <message>
            <source>地方フォーラム実施数</source>
            <translation>Regional forums held</translation>
        </message>
        <message>
            <source>地方フォーラム小計</source>
            <translation>Regional forums subtotal</translation>
        </message>
        <message>
            <source>市区町村長
会議 活動数</source>
            <translation>Mayors'
Council act.</translation>
        </message>
        <message>
            <source>年度</source>
            <translation>Fiscal year</translation>
        </message>
        <message>
            <source>支援
自治体数</source>
            <translation>Supported
municip.</translation>
        </message>
        <message>
            <source>支援国
（地域）数</source>
            <translation>Countries
(regions)</translation>
        </message>
        <message>
            <source>支援自治体数（実数）</source>
            <translation>Supported municipalities (distinct)</translation>
        </message>
        <message>
            <source>支援自治体数（延べ）</source>
            <translation>Supported municipalities (total count)</translation>
        </message>
        <message>
            <source>現在の記録で表示</source>
            <translation>Show current records</translation>
        </message>
        <message>
            <source>現場
試行数</source>
            <translation>Field
trials</translation>
        </message>
        <message>
            <source>確定…</source>
            <translation>Close year…</translation>
        </message>
        <message>
            <source>確定した数値の代わりに、今の記録から数えた数値を表に出します</source>
            <translation>Show the figures counted from the records now instead of the closed ones</translation>
        </message>
        <message>
            <source>確定していない年度は、この端末が持つすべての記録（各組織から受け取った最新のパッケージまで）で集計しています。支援自治体数は組織ごとの数の合計（延べ）が公式の数値で、実数は同じ自治体を1回と数えた参考値です。● はこの年度に目標のある KPI、達成率は総合計の数 ÷ 目標です。</source>
            <translation>A year not yet closed is tallied from every record on this computer (up to the latest package received from each organisation). The official number of supported municipalities is the sum over organisations (total count); the distinct number, counting each municipality once, is for reference. ● marks KPIs with a target this year; achievement is the grand total ÷ the target.</translation>
        </message>
        <message>
            <source>確定の取り消し</source>
            <translation>Reopen the year</translation>
        </message>
        <message>
            <source>確定を取り消し、この年度の数値を記録から数え直すようにします</source>
            <translation>Take back the close: the year's figures are counted from the records again</translation>
        </message>
        <message>
            <source>確定を取り消す</source>
            <translation>Reopen</translation>
        </message>
        <message>
            <source>確定を取り消す…</source>
            <translation>Reopen year…</translation>
        </message>
        <message>
            <source>確定後に記録が変わりました: {changes}</source>
            <translation>Records changed after closing: {changes}</translation>
        </message>
        <message>
            <source>社会
実装数</source>
            <translation>Imple-
mented</translation>
        </message>
        <message>
            <source>組織別の内訳</source>
            <translation>Breakdown by organisation</translation>
        </message>
        <message>
            <source>総合計</source>
            <translation>Grand total</translation>
        </message>
        <message>
            <source>部会・事務局</source>
            <translation>Committees and secretariat</translation>
        </message>
        <message>
            <source>部会・事務局 計</source>
            <translation>Committees and secretariat, total</translation>
        </message>
    </context>
    <context>
        <name>NeedDialog</name>
        <message>
            <source>ニーズ調査</source>
            <translation>Needs survey</translation>
        </message>
        <message>
            <source>メールアドレス</source>
            <translation>Email</translation>
        </message>
        <message>
            <source>例: 2024-07-01、R6.7.1、令和6年7月1日</source>
            <translation>e.g. 2024-07-01, R6.7.1, 令和6年7月1日</translation>
        </message>
        <message>
            <source>例: info@example.jp</source>
            <translation>e.g. info@example.jp</translation>
        </message>
        <message>
            <source>例: 河川堤防の点検</source>
            <translation>e.g. Inspecting river embankments</translation>
        </message>
        <message>
            <source>例: 第6回ニーズ調査</source>
            <translation>e.g. 6th needs survey</translation>
        </message>
        <message>
            <source>例: 車両が入れない区間の堤防を安価に点検したい</source>
            <translation>e.g. A cheaper way to inspect embankments where vehicles cannot go</translation>
        </message>
        <message>
            <source>受付日</source>
            <translation>Received on</translation>
        </message>
        <message>
            <source>技術テーマ</source>
            <translation>Technology theme</translation>
        </message>
        <message>
            <source>担当者連絡先（個人情報・任意）</source>
            <translation>Contact person (personal data, optional)</translation>
        </message>
        <message>
            <source>施設種別</source>
            <translation>Facility types</translation>
        </message>
        <message>
            <source>氏名</source>
            <translation>Name</translation>
        </message>
        <message>
            <source>求める内容・条件</source>
            <translation>Requirements and conditions</translation>
        </message>
        <message>
            <source>状況</source>
            <translation>Status</translation>
        </message>
        <message>
            <source>登録組織</source>
            <translation>Registered by</translation>
        </message>
        <message>
            <source>自治体</source>
            <translation>Municipality</translation>
        </message>
        <message>
            <source>自治体ニーズ</source>
            <translation>Municipal needs</translation>
        </message>
        <message>
            <source>自治体ニーズ「{name}」を保存しました</source>
            <translation>Saved municipal need “{name}”</translation>
        </message>
        <message>
            <source>自治体ニーズの新規登録</source>
            <translation>New municipal need</translation>
        </message>
        <message>
            <source>自治体ニーズの編集</source>
            <translation>Edit municipal need</translation>
        </message>
        <message>
            <source>自治体ニーズ（閲覧のみ）</source>
            <translation>Municipal need (read-only)</translation>
        </message>
        <message>
            <source>部署</source>
            <translation>Department</translation>
        </message>
        <message>
            <source>電話番号</source>
            <translation>Phone</translation>
        </message>
    </context>
    <context>
        <name>NotOpenedDialog</name>
        <message>
            <source>{name} を保存しましたが、このパソコンでは自動で開けませんでした。次の場所にあります。</source>
            <translation>{name} was saved, but no program on this computer opened it. It is here:</translation>
        </message>
        <message>
            <source>ファイルを開けませんでした</source>
            <translation>The file could not be opened</translation>
        </message>
        <message>
            <source>フォルダも開けませんでした。上の場所をファイルマネージャーで開いてください（場所の文字は選んでコピーできます）。</source>
            <translation>The folder could not be opened either. Open the location above in your file manager (you can select and copy it).</translation>
        </message>
        <message>
            <source>フォルダを開く</source>
            <translation>Open folder</translation>
        </message>
        <message>
            <source>閉じる</source>
            <translation>Close</translation>
        </message>
    </context>
    <context>
        <name>OfficialTableModel</name>
        <message>
            <source>KPI内容説明</source>
            <translation>What the KPI counts</translation>
        </message>
        <message>
            <source>{value}（現在 {other}）</source>
            <translation>{value} (now {other})</translation>
        </message>
        <message>
            <source>{value}（確定 {other}）</source>
            <translation>{value} (closed {other})</translation>
        </message>
        <message>
            <source>この年度の KPI（目標が設定されています）</source>
            <translation>KPI of this fiscal year (a target is set)</translation>
        </message>
        <message>
            <source>数</source>
            <translation>Count</translation>
        </message>
        <message>
            <source>目標</source>
            <translation>Target</translation>
        </message>
        <message>
            <source>確定した数値 {closed}／現在の記録では {live}</source>
            <translation>Closed figure {closed}; the records now give {live}</translation>
        </message>
        <message>
            <source>達成率</source>
            <translation>Achievement</translation>
        </message>
        <message>
            <source>項目</source>
            <translation>Item</translation>
        </message>
    </context>
    <context>
        <name>OrgChooser</name>
        <message>
            <source>この活動・行事を一緒に開催した組織に印を付けてください。共催した組織の一覧にも表示されます。KPIは登録した組織だけに数えます。</source>
            <translation>Tick the organisations that held this activity or event together with yours. It also appears in their lists; the KPIs count it for the registering organisation only.</translation>
        </message>
        <message>
            <source>すべて外す</source>
            <translation>Clear all</translation>
        </message>
        <message>
            <source>キャンセル</source>
            <translation>Cancel</translation>
        </message>
        <message>
            <source>共催した組織を選ぶ</source>
            <translation>Choose co-hosts</translation>
        </message>
        <message>
            <source>決定</source>
            <translation>OK</translation>
        </message>
    </context>
    <context>
        <name>PersonalData</name>
        <message>
            <source>このファイルには個人情報（シーズ {seeds} 件の担当者の氏名・部署・メールアドレス・電話番号）が含まれます。</source>
            <translation>This file contains personal data: the name, department, e-mail address and phone number of the contact person of technology seeds ({seeds}).</translation>
        </message>
        <message>
            <source>このファイルには個人情報（自治体ニーズ {needs} 件の担当者の氏名・部署・メールアドレス・電話番号）が含まれます。</source>
            <translation>This file contains personal data: the name, department, e-mail address and phone number of the contact person of municipal needs ({needs}).</translation>
        </message>
        <message>
            <source>このファイルには個人情報（自治体ニーズ {needs} 件・シーズ {seeds} 件の担当者の氏名・部署・メールアドレス・電話番号）が含まれます。</source>
            <translation>This file contains personal data: the name, department, e-mail address and phone number of the contact person of municipal needs ({needs}) and technology seeds ({seeds}).</translation>
        </message>
        <message>
            <source>個人情報（担当者連絡先）は含まれません。</source>
            <translation>The file contains no personal data (no contact persons).</translation>
        </message>
    </context>
    <context>
        <name>PlannedDateEdit</name>
        <message>
            <source>1〜3月は、この年度の翌年として読みます。</source>
            <translation>January–March are read as the following calendar year of this fiscal year.</translation>
        </message>
        <message>
            <source>{fiscal_year}（{span}）の外です</source>
            <translation>Outside {fiscal_year} ({span})</translation>
        </message>
        <message>
            <source>→ {span}（{precision}単位・予定・未確定）</source>
            <translation>→ {span} · {precision}, tentative</translation>
        </message>
        <message>
            <source>→ {span}（{precision}単位）</source>
            <translation>→ {span} · {precision}</translation>
        </message>
        <message>
            <source>→ 日付未定</source>
            <translation>→ Date undecided</translation>
        </message>
        <message>
            <source>→ 未定（{fy}のうち）</source>
            <translation>→ Undecided (within {fy})</translation>
        </message>
        <message>
            <source>例: 第2四半期、7月頃、6月上旬～7月中旬、未定</source>
            <translation>As in the plan, e.g. Q2, 2024-07, 2024-10-09, FY2024</translation>
        </message>
        <message>
            <source>計画表の書き方のまま入力すると、読み取った期間がここに出ます。</source>
            <translation>Type the date as written in the plan; the period understood appears here.</translation>
        </message>
        <message>
            <source>読み取れませんでした。例: 7月、第2四半期、2024-07-10、未定</source>
            <translation>Could not read this date. For example: 2024-07, Q2, 2024-07-10, TBD</translation>
        </message>
    </context>
    <context>
        <name>PrefectureMap</name>
        <message>
            <source>{name}
{legend}：{value}（{level}）</source>
            <translation>{name}
{legend}: {value} ({level})</translation>
        </message>
        <message>
            <source>{name}
{value}（{level}）</source>
            <translation>{name}
{value} ({level})</translation>
        </message>
        <message>
            <source>{name}
データなし</source>
            <translation>{name}
No data</translation>
        </message>
    </context>
    <context>
        <name>PreviewModel</name>
        <message>
            <source>合計</source>
            <translation>Total</translation>
        </message>
        <message>
            <source>変更なし</source>
            <translation>Unchanged</translation>
        </message>
        <message>
            <source>更新</source>
            <translation>Updated</translation>
        </message>
        <message>
            <source>競合</source>
            <translation>Conflicts</translation>
        </message>
        <message>
            <source>記録の種類</source>
            <translation>Kind of record</translation>
        </message>
        <message>
            <source>追加</source>
            <translation>Added</translation>
        </message>
    </context>
    <context>
        <name>PublishedFiguresDialog</name>
        <message>
            <source>{kpi}: 「{text}」を読み取れません。0 以上の数で入力してください。</source>
            <translation>{kpi}: “{text}” cannot be read. Enter a number, 0 or more.</translation>
        </message>
        <message>
            <source>{kpi}: 「{text}」を読み取れません。0～100 の数（%）で入力してください。</source>
            <translation>{kpi}: “{text}” cannot be read. Enter a percentage from 0 to 100.</translation>
        </message>
        <message>
            <source>この年度の公表値は入力済みです（{date}、{name}）。直す KPI の値を書き換えて保存してください。欄を空にしても、入力済みの公表値は消えません。</source>
            <translation>Published figures were entered for this fiscal year ({date}, {name}). Change the KPIs to correct and save. Emptying a field does not remove a figure already entered.</translation>
        </message>
        <message>
            <source>この年度はこのアプリの集計で確定しています（{date}、{name}）。公表値を入力するには、先に全国集計で確定を取り消してください。</source>
            <translation>This fiscal year was closed from this application's tally ({date}, {name}). To enter published figures, first reopen it on the National tally page.</translation>
        </message>
        <message>
            <source>キャンセル</source>
            <translation>Cancel</translation>
        </message>
        <message>
            <source>事業報告などで公表した過去の年度の KPI を入力します。入力した KPI はその年度の公式の数値（公表値）になり、年度推移・全国集計に表示されます。空欄の KPI は記録から集計した数値のままです。</source>
            <translation>Enter the KPIs published for a past fiscal year (in an annual report or the like). Each KPI entered becomes that year's official figure (published figure) and shows on Trends and National tally. KPIs left blank keep the figures tallied from the records.</translation>
        </message>
        <message>
            <source>例: 62.5</source>
            <translation>e.g. 62.5</translation>
        </message>
        <message>
            <source>例: 令和5年度 事業報告書より</source>
            <translation>e.g. From the FY2023 annual report</translation>
        </message>
        <message>
            <source>保存</source>
            <translation>Save</translation>
        </message>
        <message>
            <source>備考（任意）</source>
            <translation>Note (optional)</translation>
        </message>
        <message>
            <source>公表値の入力</source>
            <translation>Published figures</translation>
        </message>
        <message>
            <source>公表値を一つ以上入力してください。</source>
            <translation>Enter at least one published figure.</translation>
        </message>
        <message>
            <source>年度</source>
            <translation>Fiscal year</translation>
        </message>
    </context>
    <context>
        <name>ReceivedModel</name>
        <message numerus="yes">
            <source>%n 個</source>
            <translation>
                <numerusform>1 package</numerusform>
                <numerusform>%n packages</numerusform>
            </translation>
        </message>
        <message>
            <source>{entity}：{count}</source>
            <translation>{entity}: {count}</translation>
        </message>
        <message>
            <source>{number}・{day}・{records}</source>
            <translation>{number} · {day} · {records}</translation>
        </message>
        <message>
            <source>{number}（端末 {installation}）　受信 {when}</source>
            <translation>{number} (computer {installation}), received {when}</translation>
        </message>
        <message>
            <source>この年度に作成されたうちで番号が最も大きいパッケージ：番号・作成日・記録数</source>
            <translation>The highest-numbered package written in this fiscal year: number, date written, records</translation>
        </message>
        <message>
            <source>この年度に作成されたパッケージがまだ届いていません。</source>
            <translation>No package written in this fiscal year has arrived yet.</translation>
        </message>
        <message>
            <source>この端末</source>
            <translation>This computer</translation>
        </message>
        <message>
            <source>この端末の組織です。自分あてにはパッケージを送らないため、未受信には数えません。</source>
            <translation>This computer's own organisation: it sends no packages to itself, so it is not counted as not received.</translation>
        </message>
        <message>
            <source>その端末から届いた最小の番号から最大の番号までのうち、届いていない番号</source>
            <translation>The numbers between the lowest and the highest received from that computer that have not arrived</translation>
        </message>
        <message>
            <source>パッケージを送ってきた端末（端末IDの先頭8文字）</source>
            <translation>The computers that sent packages (the first 8 characters of the installation ID)</translation>
        </message>
        <message>
            <source>件数</source>
            <translation>Records</translation>
        </message>
        <message>
            <source>作成: {when}</source>
            <translation>Created: {when}</translation>
        </message>
        <message>
            <source>受信日時</source>
            <translation>Received</translation>
        </message>
        <message>
            <source>受信済み</source>
            <translation>Received</translation>
        </message>
        <message>
            <source>抜けている番号</source>
            <translation>Missing numbers</translation>
        </message>
        <message>
            <source>最後のパッケージ</source>
            <translation>Last package</translation>
        </message>
        <message>
            <source>最新の号</source>
            <translation>Latest issue</translation>
        </message>
        <message>
            <source>未受信</source>
            <translation>Not received</translation>
        </message>
        <message>
            <source>注意</source>
            <translation>Note</translation>
        </message>
        <message>
            <source>状態</source>
            <translation>State</translation>
        </message>
        <message>
            <source>端末</source>
            <translation>Computer</translation>
        </message>
        <message>
            <source>端末ID</source>
            <translation>Installation ID</translation>
        </message>
        <message>
            <source>端末ID {installation}（鍵ID {key}）：この年度のパッケージ {count}</source>
            <translation>Installation ID {installation} (key ID {key}): {count} this fiscal year</translation>
        </message>
        <message>
            <source>第{numbers}号</source>
            <translation>No. {numbers}</translation>
        </message>
        <message>
            <source>第{numbers}号ほか（計 {count} 号分）</source>
            <translation>No. {numbers} and more ({count} in all)</translation>
        </message>
        <message>
            <source>組織</source>
            <translation>Organisation</translation>
        </message>
        <message>
            <source>記録なし</source>
            <translation>No records</translation>
        </message>
    </context>
    <context>
        <name>ReceivedPage</name>
        <message>
            <source>{fiscal_year}：{total} 組織中 {received} 組織から受信、{missing} 組織が未受信</source>
            <translation>{fiscal_year}: received from {received} of {total} organisations; {missing} not received</translation>
        </message>
        <message>
            <source>パッケージは作成日（日本時間）の年度に数えます。抜けている番号は、その端末から届いた最小の番号から最大の番号までで届いていないものです（各パッケージは全件の写しなので、次の号が届けばデータは揃います）。最後のパッケージにポインタを合わせると、種類ごとの記録数と受信日時が表示されます。</source>
            <translation>A package counts in the fiscal year of the day it was written (Japan time). Missing numbers are those between the lowest and the highest number received from a computer that have not arrived (each package is a full copy, so the data is complete once a later one arrives). Point at a last package to see its records by kind and when it arrived.</translation>
        </message>
        <message>
            <source>年度</source>
            <translation>Fiscal year</translation>
        </message>
    </context>
    <context>
        <name>RecipientsDialog</name>
        <message numerus="yes">
            <source>%n 件の受信者を登録しました。</source>
            <translation>
                <numerusform>1 recipient added.</numerusform>
                <numerusform>%n recipients added.</numerusform>
            </translation>
        </message>
        <message>
            <source>age1… で始まる受信者を貼り付け</source>
            <translation>Paste a recipient starting with age1…</translation>
        </message>
        <message>
            <source>この端末の受信者</source>
            <translation>This computer's recipient</translation>
        </message>
        <message>
            <source>この端末の受信者をクリップボードにコピーします</source>
            <translation>Copy this computer's recipient to the clipboard</translation>
        </message>
        <message>
            <source>この端末の受信者をコピーしました。</source>
            <translation>This computer's recipient was copied.</translation>
        </message>
        <message>
            <source>コピー</source>
            <translation>Copy</translation>
        </message>
        <message>
            <source>ファイルから追加…</source>
            <translation>Add from a file…</translation>
        </message>
        <message>
            <source>削除</source>
            <translation>Delete</translation>
        </message>
        <message>
            <source>受け取る側が書き出した受信者のファイル（age1… の行）を選びます</source>
            <translation>Choose the recipient file (age1… lines) the receiving side wrote</translation>
        </message>
        <message>
            <source>受信者 (*.txt *.pub *.age.pub);;すべてのファイル (*)</source>
            <translation>Recipients (*.txt *.pub *.age.pub);;All files (*)</translation>
        </message>
        <message>
            <source>受信者のファイル</source>
            <translation>Recipient file</translation>
        </message>
        <message>
            <source>受信者を削除しました。</source>
            <translation>Recipient removed.</translation>
        </message>
        <message>
            <source>担当者連絡先（個人情報）を含むパッケージは、ここにある受信者（age1…）宛てに暗号化して書き出します。開けるのは、その受信者の端末だけです。事務局の受信者は、事務局の全国パッケージを取り込むと自動で登録されます。まだ届いていないときは、事務局から受信者（age1… の 1 行）を受け取って追加してください。</source>
            <translation>A package with contacts (personal data) is encrypted to the recipients (age1…) listed here; only their computers can open it. The secretariat's recipient is added by itself when you import the secretariat's national package. Until then, get the secretariat's recipient (one line, age1…) and add it.</translation>
        </message>
        <message>
            <source>暗号化の宛先</source>
            <translation>Encryption recipients</translation>
        </message>
        <message>
            <source>登録されている受信者はまだありません。</source>
            <translation>No recipients yet.</translation>
        </message>
        <message>
            <source>追加する</source>
            <translation>Add</translation>
        </message>
        <message>
            <source>閉じる</source>
            <translation>Close</translation>
        </message>
    </context>
    <context>
        <name>RecipientsModel</name>
        <message>
            <source>パッケージから</source>
            <translation>From a package</translation>
        </message>
        <message>
            <source>入手元</source>
            <translation>Source</translation>
        </message>
        <message>
            <source>受信者</source>
            <translation>Recipient</translation>
        </message>
        <message>
            <source>手で登録</source>
            <translation>Added by hand</translation>
        </message>
        <message>
            <source>登録日</source>
            <translation>Registered on</translation>
        </message>
        <message>
            <source>組織</source>
            <translation>Organisation</translation>
        </message>
        <message>
            <source>（未設定）</source>
            <translation>(not set)</translation>
        </message>
    </context>
    <context>
        <name>RecordDialog</name>
        <message>
            <source>{entity}「{name}」は削除されていたため、入力を破棄しました</source>
            <translation>{entity} “{name}” had been deleted, so your input was discarded</translation>
        </message>
        <message>
            <source>{field}: 「{text}」は日付として正しくありません。例: 2024-07-01、R6.7.1、令和6年7月1日</source>
            <translation>{field}: "{text}" is not a valid date (e.g. 2024-07-01 or R6.7.1).</translation>
        </message>
        <message>
            <source>{field}「{text}」は日付として読み取れませんでした。日付未定（{fiscal_year}のうち）として保存しますか？</source>
            <translation>{field} “{text}” could not be read as a date. Save it as undecided (sometime in {fiscal_year})?</translation>
        </message>
        <message>
            <source>{field}を入力してください。</source>
            <translation>{field}: required.</translation>
        </message>
        <message>
            <source>{field}を選んでください。</source>
            <translation>{field}: choose one from the list.</translation>
        </message>
        <message>
            <source>{fiscal_year}は確定済みです。この記録を変えても、確定した数値は変わりません。</source>
            <translation>{fiscal_year} is closed. Changing this record does not change its closed figures.</translation>
        </message>
        <message>
            <source>{record}「{name}」を保存しました</source>
            <translation>Saved {record}: “{name}”</translation>
        </message>
        <message>
            <source>この記録は「{org}」が登録したものです。この端末では閲覧のみできます。</source>
            <translation>This record was registered by {org}. It is read-only on this computer.</translation>
        </message>
        <message>
            <source>キャンセル</source>
            <translation>Cancel</translation>
        </message>
        <message>
            <source>メールアドレス「{text}」の形式が正しくありません。半角で taro@example.jp のように入力してください。</source>
            <translation>The e-mail address “{text}” is not valid. Type it in half-width characters, like taro@example.jp.</translation>
        </message>
        <message>
            <source>保存</source>
            <translation>Save</translation>
        </message>
        <message>
            <source>保存されている内容を読み込みました。入力していた内容は破棄しました</source>
            <translation>Loaded the saved version; your input was discarded</translation>
        </message>
        <message>
            <source>保存していません: ほかの人が先にこの記録を保存しています。「保存」を押すと、もう一度見比べて選べます。</source>
            <translation>Not saved: someone else saved this record first. Press “Save” to compare again and choose.</translation>
        </message>
        <message>
            <source>保存するには次の項目を入力・修正してください: {fields}</source>
            <translation>To save, fill in or correct: {fields}</translation>
        </message>
        <message>
            <source>保存せずに閉じる</source>
            <translation>Close without saving</translation>
        </message>
        <message>
            <source>保存できますが、次の項目を確かめてください: {fields}</source>
            <translation>You can save, but please check: {fields}</translation>
        </message>
        <message>
            <source>保存（Ctrl+S）</source>
            <translation>Save (Ctrl+S)</translation>
        </message>
        <message>
            <source>入力に不足・誤りがあるため保存できません。</source>
            <translation>Cannot save: some entries are missing or wrong.</translation>
        </message>
        <message>
            <source>入力に戻る</source>
            <translation>Back to the form</translation>
        </message>
        <message>
            <source>入力内容に問題はありません。</source>
            <translation>Everything entered is valid.</translation>
        </message>
        <message>
            <source>基本情報</source>
            <translation>Basic information</translation>
        </message>
        <message>
            <source>変更を保存せずに閉じますか？</source>
            <translation>Close without saving your changes?</translation>
        </message>
        <message>
            <source>変更履歴</source>
            <translation>Change history</translation>
        </message>
        <message>
            <source>未定として保存</source>
            <translation>Save as undecided</translation>
        </message>
        <message>
            <source>選んでください</source>
            <translation>Please choose</translation>
        </message>
        <message>
            <source>閉じる</source>
            <translation>Close</translation>
        </message>
        <message>
            <source>電話番号「{text}」は、市外局番から数字とハイフンで入力してください（例: 082-123-4567）。</source>
            <translation>Type the telephone number “{text}” in digits and hyphens, starting with the area code (e.g. 082-123-4567).</translation>
        </message>
    </context>
    <context>
        <name>RecordHistoryView</name>
        <message>
            <source>{action}：{source}</source>
            <translation>{action}: {source}</translation>
        </message>
        <message>
            <source>この記録の変更履歴はありません（変更履歴を記録する前の版で登録された記録です）。</source>
            <translation>This record has no change history (it was entered with a version that did not record changes).</translation>
        </message>
        <message>
            <source>変更した人</source>
            <translation>Changed by</translation>
        </message>
        <message>
            <source>変更内容</source>
            <translation>Change</translation>
        </message>
        <message>
            <source>変更履歴を読み込んでいます…</source>
            <translation>Loading the change history…</translation>
        </message>
        <message>
            <source>新しい変更から順に表示しています。受信した変更は、送り主の組織とパッケージ番号（先頭 8 文字）を示します。</source>
            <translation>Newest changes first. A received change names the sender's organisation and the package (its first 8 characters).</translation>
        </message>
        <message>
            <source>日時</source>
            <translation>Date and time</translation>
        </message>
    </context>
    <context>
        <name>RecordLabels</name>
        <message>
            <source>{stage}（{date}）</source>
            <translation>{stage} ({date})</translation>
        </message>
        <message>
            <source>{tech}（{company}）</source>
            <translation>{tech} ({company})</translation>
        </message>
        <message>
            <source>{text}（{span}）</source>
            <translation>{text} ({span})</translation>
        </message>
        <message>
            <source>いいえ</source>
            <translation>No</translation>
        </message>
        <message>
            <source>はい</source>
            <translation>Yes</translation>
        </message>
        <message>
            <source>状態（削除）</source>
            <translation>State (deleted)</translation>
        </message>
        <message>
            <source>（見つからない記録 {id}）</source>
            <translation>(record {id} not found)</translation>
        </message>
    </context>
    <context>
        <name>RecordLinkEdit</name>
        <message>
            <source>{label}（削除済み）</source>
            <translation>{label} (deleted)</translation>
        </message>
        <message>
            <source>{title}（予定: {when}）</source>
            <translation>{title} (planned: {when})</translation>
        </message>
        <message>
            <source>{title}（実施: {when}）</source>
            <translation>{title} (held {when})</translation>
        </message>
        <message>
            <source>ニーズ・シーズで検索して選ぶ</source>
            <translation>Search by need or seed and choose</translation>
        </message>
        <message>
            <source>企業名・技術名で検索して選ぶ</source>
            <translation>Search by company or technology and choose</translation>
        </message>
        <message>
            <source>実証実験名で検索して選ぶ</source>
            <translation>Search by field trial name and choose</translation>
        </message>
        <message>
            <source>検索して選ぶ</source>
            <translation>Search and choose</translation>
        </message>
        <message>
            <source>自治体名・テーマで検索して選ぶ</source>
            <translation>Search by municipality or theme and choose</translation>
        </message>
        <message>
            <source>行事名で検索して選ぶ</source>
            <translation>Search by event name and choose</translation>
        </message>
        <message>
            <source>（この端末にない記録）</source>
            <translation>(record not on this computer)</translation>
        </message>
    </context>
    <context>
        <name>RecordTableModel</name>
        <message>
            <source>NETIS</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>{column}（この列では並べ替えできません）</source>
            <translation>{column} (this column cannot be sorted)</translation>
        </message>
        <message>
            <source>{column}（クリックで並べ替え）</source>
            <translation>{column} (click to sort)</translation>
        </message>
        <message>
            <source>{places} ほか{more}</source>
            <translation>{places} and {more} more</translation>
        </message>
        <message>
            <source>この行を読み込めませんでした</source>
            <translation>Could not load this row</translation>
        </message>
        <message>
            <source>イベント名</source>
            <translation>Event name</translation>
        </message>
        <message>
            <source>シーズ</source>
            <translation>Seed</translation>
        </message>
        <message>
            <source>ニーズ</source>
            <translation>Need</translation>
        </message>
        <message>
            <source>共催</source>
            <translation>Co-hosts</translation>
        </message>
        <message>
            <source>実施日</source>
            <translation>Date held</translation>
        </message>
        <message>
            <source>年度</source>
            <translation>Fiscal year</translation>
        </message>
        <message>
            <source>最終更新日</source>
            <translation>Last updated</translation>
        </message>
        <message>
            <source>未定</source>
            <translation>TBD</translation>
        </message>
        <message>
            <source>段階</source>
            <translation>Stage</translation>
        </message>
        <message>
            <source>発表数</source>
            <translation>Presentations</translation>
        </message>
        <message>
            <source>組織</source>
            <translation>Organisation</translation>
        </message>
        <message>
            <source>自治体</source>
            <translation>Municipality</translation>
        </message>
        <message>
            <source>自治体・国</source>
            <translation>Municipality/country</translation>
        </message>
        <message>
            <source>選んだ記録</source>
            <translation>the selected record</translation>
        </message>
        <message>
            <source>開催予定日</source>
            <translation>Planned date</translation>
        </message>
        <message>
            <source>（名称なし）</source>
            <translation>(untitled)</translation>
        </message>
        <message>
            <source>（見つからないシーズ）</source>
            <translation>(seed not found)</translation>
        </message>
        <message>
            <source>（見つからないニーズ）</source>
            <translation>(need not found)</translation>
        </message>
    </context>
    <context>
        <name>RemoveRegisteredKeyDialog</name>
        <message>
            <source>キャンセル</source>
            <translation>Cancel</translation>
        </message>
        <message>
            <source>信頼をやめる</source>
            <translation>Stop trusting</translation>
        </message>
        <message>
            <source>失効させる…</source>
            <translation>Revoke…</translation>
        </message>
        <message>
            <source>登録した鍵は、信頼をやめる代わりに失効させます。失効日までに作成されたパッケージは引き続き受け付け、それより後のものは、この端末でも、次の全国（配布用）パッケージを受け取った各フォーラムでも受け付けなくなります。間違えて登録したときだけ、登録を取り消してください（その鍵のパッケージは、手動で信頼した端末を除き、どこでも受け付けなくなります）。</source>
            <translation>A registered key is revoked rather than no longer trusted. Packages created up to the revocation date are still accepted; later ones are refused here and at every forum that receives the next nationwide (distribution) package. Withdraw the registration only if the key was registered by mistake (its packages are then refused everywhere, except on computers that trusted the key by hand).</translation>
        </message>
        <message>
            <source>登録を取り消す</source>
            <translation>Withdraw the registration</translation>
        </message>
        <message>
            <source>鍵ID {key}（{label}）は事務局が登録した鍵です</source>
            <translation>Key ID {key} ({label}) was registered by the secretariat</translation>
        </message>
    </context>
    <context>
        <name>ReportsMenu</name>
        <message>
            <source>Excel の保存先</source>
            <translation>Save the Excel workbook as</translation>
        </message>
        <message>
            <source>Excel への書き出し</source>
            <translation>Export to Excel</translation>
        </message>
        <message>
            <source>Excel ブック（*.xlsx）</source>
            <translation>Excel workbook (*.xlsx)</translation>
        </message>
        <message>
            <source>KPI 実績報告</source>
            <translation>KPI results report</translation>
        </message>
        <message>
            <source>KPI 実績報告の保存先</source>
            <translation>Save the KPI results report as</translation>
        </message>
        <message>
            <source>KPI 実績報告を作っています…</source>
            <translation>Making the KPI results report…</translation>
        </message>
        <message>
            <source>KPI 実績報告（PDF）(&amp;K)…</source>
            <translation>&amp;KPI results report (PDF)…</translation>
        </message>
        <message>
            <source>KPI 集計表</source>
            <translation>KPI tally table</translation>
        </message>
        <message>
            <source>KPI 集計表の保存先</source>
            <translation>Save the KPI tally table as</translation>
        </message>
        <message>
            <source>KPI 集計表を作っています…</source>
            <translation>Making the KPI tally table…</translation>
        </message>
        <message>
            <source>KPI 集計表（Excel）(&amp;X)…</source>
            <translation>KPI tally table (E&amp;xcel)…</translation>
        </message>
        <message>
            <source>PDF（*.pdf）</source>
            <translation>PDF (*.pdf)</translation>
        </message>
        <message>
            <source>{count} 行を取り込みます。よろしいですか？</source>
            <translation>Import {count} rows?</translation>
        </message>
        <message>
            <source>{name} を取り込んでいます…</source>
            <translation>Importing {name}…</translation>
        </message>
        <message>
            <source>{name} を確認しています…</source>
            <translation>Checking {name}…</translation>
        </message>
        <message>
            <source>{page}を書き出しています…</source>
            <translation>Exporting {page}…</translation>
        </message>
        <message>
            <source>{sheet}を作っています…</source>
            <translation>Creating the {sheet}…</translation>
        </message>
        <message>
            <source>{sheet}を取り込む</source>
            <translation>Import a {sheet}</translation>
        </message>
        <message>
            <source>{sheet}テンプレートの保存先</source>
            <translation>Save the {sheet} template as</translation>
        </message>
        <message>
            <source>ニーズ調査票</source>
            <translation>needs survey sheet</translation>
        </message>
        <message>
            <source>ニーズ調査票のテンプレートを書き出す(&amp;N)…</source>
            <translation>Write the &amp;needs-survey template…</translation>
        </message>
        <message>
            <source>ニーズ調査票を取り込む(&amp;I)…</source>
            <translation>&amp;Import a needs survey…</translation>
        </message>
        <message>
            <source>マッチング情報シート</source>
            <translation>Matching information sheets</translation>
        </message>
        <message>
            <source>マッチング情報シートの保存先</source>
            <translation>Save the matching information sheets as</translation>
        </message>
        <message>
            <source>マッチング情報シートを作っています…</source>
            <translation>Making the matching information sheets…</translation>
        </message>
        <message>
            <source>マッチング情報シート（PDF）(&amp;M)…</source>
            <translation>&amp;Matching information sheets (PDF)…</translation>
        </message>
        <message>
            <source>レポート(&amp;R)</source>
            <translation>&amp;Reports</translation>
        </message>
        <message>
            <source>一覧のページ（活動・行事、自治体ニーズ など）を開いてから選んでください。</source>
            <translation>Open a list page (Activities &amp; events, Municipal needs, …) first.</translation>
        </message>
        <message>
            <source>参画率マップ</source>
            <translation>Participation map</translation>
        </message>
        <message>
            <source>参画率マップの保存先</source>
            <translation>Save the participation map as</translation>
        </message>
        <message>
            <source>参画率マップを作っています…</source>
            <translation>Making the participation map…</translation>
        </message>
        <message>
            <source>参画率・行政会員マップ（PDF）(&amp;A)…</source>
            <translation>P&amp;articipation and membership maps (PDF)…</translation>
        </message>
        <message>
            <source>取り込まない</source>
            <translation>Don't import</translation>
        </message>
        <message>
            <source>取り込み</source>
            <translation>Import</translation>
        </message>
        <message>
            <source>取り込みの確認</source>
            <translation>Confirm the import</translation>
        </message>
        <message>
            <source>年度</source>
            <translation>Fiscal year</translation>
        </message>
        <message>
            <source>書き出しました: {path}</source>
            <translation>Saved: {path}</translation>
        </message>
        <message>
            <source>正しい {count} 行だけ取り込む</source>
            <translation>Import only the {count} correct rows</translation>
        </message>
        <message>
            <source>活動計画・実績</source>
            <translation>Activity plan &amp; results</translation>
        </message>
        <message>
            <source>活動計画・実績の保存先</source>
            <translation>Save the activity plan &amp; results as</translation>
        </message>
        <message>
            <source>活動計画・実績を作っています…</source>
            <translation>Making the activity plan &amp; results…</translation>
        </message>
        <message>
            <source>活動計画・実績（PDF）(&amp;P)…</source>
            <translation>Activity &amp;plan &amp;&amp; results (PDF)…</translation>
        </message>
        <message>
            <source>活動計画表</source>
            <translation>activity plan sheet</translation>
        </message>
        <message>
            <source>活動計画表のテンプレートを書き出す(&amp;T)…</source>
            <translation>Write the activity-plan &amp;template…</translation>
        </message>
        <message>
            <source>活動計画表を取り込む(&amp;E)…</source>
            <translation>Import an acti&amp;vity plan…</translation>
        </message>
        <message>
            <source>組織</source>
            <translation>Organisation</translation>
        </message>
        <message>
            <source>表示中の一覧を Excel に書き出す(&amp;L)…</source>
            <translation>Export the &amp;list shown to Excel…</translation>
        </message>
    </context>
    <context>
        <name>RestoreQuestion</name>
        <message>
            <source>{drafts}

「あとで」を選ぶと、次に起動したときにもう一度お知らせします。</source>
            <translation>{drafts}

Choose "Later" to be reminded the next time the app starts.</translation>
        </message>
        <message>
            <source>あとで</source>
            <translation>Later</translation>
        </message>
        <message numerus="yes">
            <source>ほか %n 件</source>
            <translation>
                <numerusform>and %n more</numerusform>
                <numerusform>and %n more</numerusform>
            </translation>
        </message>
        <message>
            <source>・{entity}（新規、{when}）</source>
            <translation>• {entity} (new, {when})</translation>
        </message>
        <message>
            <source>・{entity}（編集、{when}）</source>
            <translation>• {entity} (editing, {when})</translation>
        </message>
        <message>
            <source>入力の復元</source>
            <translation>Restore unsaved input</translation>
        </message>
        <message numerus="yes">
            <source>前回保存されなかった入力が %n 件あります。復元しますか？</source>
            <translation>
                <numerusform>One entry was left unsaved last time. Restore it?</numerusform>
                <numerusform>%n entries were left unsaved last time. Restore them?</numerusform>
            </translation>
        </message>
        <message>
            <source>復元する</source>
            <translation>Restore</translation>
        </message>
        <message>
            <source>破棄する</source>
            <translation>Discard</translation>
        </message>
        <message>
            <source>編集中だった記録（{entity}）は削除されています。入力内容を新しい記録として開きます。</source>
            <translation>The record you were editing ({entity}) has been deleted. Your input opens as a new record.</translation>
        </message>
    </context>
    <context>
        <name>RevokeKeyDialog</name>
        <message>
            <source>この鍵は{date}付けで失効させてあります。失効日を変えます。</source>
            <translation>This key was revoked as of {date}. This changes the date.</translation>
        </message>
        <message>
            <source>キャンセル</source>
            <translation>Cancel</translation>
        </message>
        <message>
            <source>失効させる</source>
            <translation>Revoke</translation>
        </message>
        <message>
            <source>失効日</source>
            <translation>Revoked on</translation>
        </message>
        <message>
            <source>失効日より後に作成されたこの鍵のパッケージは受け付けなくなります。失効日までに作成されたものは引き続き受け付けます。失効は次の全国（配布用）パッケージで各フォーラムに伝わります。</source>
            <translation>Packages signed with this key and created after the revocation date will be refused; those created up to that day are still accepted. The forums learn of the revocation with the next nationwide (distribution) package.</translation>
        </message>
        <message>
            <source>書いてよい組織</source>
            <translation>May write for</translation>
        </message>
        <message>
            <source>登録した鍵を失効させます</source>
            <translation>Revoke a registered key</translation>
        </message>
        <message>
            <source>登録名</source>
            <translation>Registered as</translation>
        </message>
        <message>
            <source>端末をなくしたときは、なくした日の前日を失効日にすると確実です。</source>
            <translation>When a computer is lost, the safest revocation date is the day before it went missing.</translation>
        </message>
        <message>
            <source>鍵ID</source>
            <translation>Key ID</translation>
        </message>
        <message>
            <source>鍵を失効</source>
            <translation>Revoke a key</translation>
        </message>
    </context>
    <context>
        <name>SeedDialog</name>
        <message>
            <source>NETIS登録番号</source>
            <translation>NETIS registration no.</translation>
        </message>
        <message>
            <source>シーズ（技術）</source>
            <translation>Technology seeds</translation>
        </message>
        <message>
            <source>シーズ（技術）「{name}」を保存しました</source>
            <translation>Saved technology seed “{name}”</translation>
        </message>
        <message>
            <source>シーズ（技術）の新規登録</source>
            <translation>New technology seed</translation>
        </message>
        <message>
            <source>シーズ（技術）の編集</source>
            <translation>Edit technology seed</translation>
        </message>
        <message>
            <source>シーズ（技術）（閲覧のみ）</source>
            <translation>Technology seed (read-only)</translation>
        </message>
        <message>
            <source>メールアドレス</source>
            <translation>Email</translation>
        </message>
        <message>
            <source>企業等名称</source>
            <translation>Company or organisation</translation>
        </message>
        <message>
            <source>例: 2024-07-01、R6.7.1、令和6年7月1日</source>
            <translation>e.g. 2024-07-01, R6.7.1, 令和6年7月1日</translation>
        </message>
        <message>
            <source>例: KT-230001-A（任意）</source>
            <translation>e.g. KT-230001-A (optional)</translation>
        </message>
        <message>
            <source>例: info@example.jp</source>
            <translation>e.g. info@example.jp</translation>
        </message>
        <message>
            <source>例: 株式会社〇〇</source>
            <translation>e.g. XX Co., Ltd.</translation>
        </message>
        <message>
            <source>例: 衛星データによる変位モニタリング</source>
            <translation>e.g. Displacement monitoring with satellite data</translation>
        </message>
        <message>
            <source>技術の概要</source>
            <translation>Technology overview</translation>
        </message>
        <message>
            <source>技術名称</source>
            <translation>Technology name</translation>
        </message>
        <message>
            <source>担当者連絡先（個人情報・任意）</source>
            <translation>Contact person (personal data, optional)</translation>
        </message>
        <message>
            <source>施設種別</source>
            <translation>Facility types</translation>
        </message>
        <message>
            <source>氏名</source>
            <translation>Name</translation>
        </message>
        <message>
            <source>登録日</source>
            <translation>Registered on</translation>
        </message>
        <message>
            <source>登録組織</source>
            <translation>Registered by</translation>
        </message>
        <message>
            <source>部署</source>
            <translation>Department</translation>
        </message>
        <message>
            <source>電話番号</source>
            <translation>Phone</translation>
        </message>
    </context>
    <context>
        <name>SettingsDialog</name>
        <message>
            <source> 世代</source>
            <translation> generations</translation>
        </message>
        <message numerus="yes">
            <source>%n 台の端末がこのデータベースに書き込んでいます（太字がこの端末）。</source>
            <translation>
                <numerusform>%n installation writes to this database (this one in bold).</numerusform>
                <numerusform>%n installations write to this database (this one in bold).</numerusform>
            </translation>
        </message>
        <message>
            <source>PDF の日本語フォント: {font}</source>
            <translation>Japanese font in PDFs: {font}</translation>
        </message>
        <message>
            <source>PDF標準のCIDフォント（埋め込みなし：閲覧環境によって字形が変わります）</source>
            <translation>the standard PDF CID font (not embedded: glyphs depend on the viewer)</translation>
        </message>
        <message>
            <source>postgresql+psycopg://利用者@サーバー/データベース名</source>
            <translation>postgresql+psycopg://user@server/database</translation>
        </message>
        <message>
            <source>{file}（PDFに埋め込み）</source>
            <translation>{file} (embedded in PDFs)</translation>
        </message>
        <message>
            <source>{location} に接続できました。</source>
            <translation>Connected to {location}.</translation>
        </message>
        <message>
            <source>{name}（{file}、PDFに埋め込み）</source>
            <translation>{name} ({file}, embedded in PDFs)</translation>
        </message>
        <message>
            <source>{org}（この端末）</source>
            <translation>{org} (this one)</translation>
        </message>
        <message>
            <source>⚠ この端末には OS の資格情報ストアがないため、署名鍵と暗号鍵はファイル（{folder}）に保存しています。このパソコンの利用者アカウントを他の人と共有しないでください。</source>
            <translation>⚠ This computer has no operating-system credential store, so the signing and encryption keys are kept in files ({folder}). Do not share this computer's user account with anyone else.</translation>
        </message>
        <message>
            <source>⚠ この起動では --database-url（または環境変数 JCIM_DESKTOP_DATABASE_URL）で指定されたデータベース（{where}）を使っています。ここでの選択は、それを指定せずに起動したときに使われます。</source>
            <translation>⚠ This run uses the database given by --database-url (or the environment variable JCIM_DESKTOP_DATABASE_URL): {where}. The choice made here is used when the program starts without it.</translation>
        </message>
        <message>
            <source>⚠ 署名鍵と暗号鍵を OS の資格情報ストアに移せなかったため、ファイル（{folder}）に保存しています。このパソコンの利用者アカウントを他の人と共有しないでください。次に起動したときにもう一度移します。</source>
            <translation>⚠ The signing and encryption keys could not be moved into the operating system's credential store, so they are kept in files ({folder}). Do not share this computer's user account with anyone else. They will be moved again at the next start.</translation>
        </message>
        <message>
            <source>あなたの名前</source>
            <translation>Your name</translation>
        </message>
        <message>
            <source>この URL のデータベースに接続できるか、いま確かめます（何も変更しません）</source>
            <translation>Checks now whether the database at this URL can be reached (nothing is changed)</translation>
        </message>
        <message>
            <source>このデータフォルダ（SQLite）</source>
            <translation>This data folder (SQLite)</translation>
        </message>
        <message>
            <source>このデータベースは照合順序が {collation} のため、文字を SQLite と違う順に並べます（件名や会社名で並べた一覧と、書き出すパッケージの記録の順序が SQLite の端末と変わります）。管理者に「jcim-desktop db check」で作り直し方を確かめてもらってください。</source>
            <translation>Its collation is {collation}, which orders text differently from SQLite (lists sorted by title or company, and the records of exported packages, come out in another order than on computers using SQLite). Ask the administrator to run “jcim-desktop db check”, which says how to create the database again.</translation>
        </message>
        <message>
            <source>この端末はまだ登録されていません。このデータベースで作業するには、新しいデータフォルダで「jcim-desktop init --org {org} --database-url …」を実行して登録し、「データフォルダ」でそのフォルダを選んでください。</source>
            <translation>This installation is not registered there. To work on this database, register one by running “jcim-desktop init --org {org} --database-url …” in a new data folder, then choose that folder as the data folder.</translation>
        </message>
        <message>
            <source>この端末も登録されています。</source>
            <translation>This installation is one of them.</translation>
        </message>
        <message>
            <source>その端末がこのデータベースで最後に記録を変更した日時（パッケージの取り込みは含みません）</source>
            <translation>When that installation last changed a record in this database (imported packages not counted)</translation>
        </message>
        <message>
            <source>ただし、新しい版のアプリで更新されたデータベースなので、この版では使えません。アプリを新しい版にしてください。</source>
            <translation>But a newer version of the application has updated it, so this version cannot use it. Update the application.</translation>
        </message>
        <message>
            <source>なし</source>
            <translation>None</translation>
        </message>
        <message>
            <source>ほかの端末が、担当者連絡先を含むパッケージをこの端末宛てに暗号化するときの宛先です。「コピー」で写して、送り主に渡してください。</source>
            <translation>What other computers encrypt packages with contacts for this one to. Copy it and give it to those who send them.</translation>
        </message>
        <message>
            <source>まだ JCIM のデータベースになっていません（空です）。管理者が「jcim-desktop db migrate --database-url …」で作ってください。</source>
            <translation>It is not a JCIM database yet (it is empty). The administrator creates it with “jcim-desktop db migrate --database-url …”.</translation>
        </message>
        <message>
            <source>まだ変更はありません</source>
            <translation>No change yet</translation>
        </message>
        <message>
            <source>コピー</source>
            <translation>Copy</translation>
        </message>
        <message>
            <source>データフォルダ</source>
            <translation>Data folder</translation>
        </message>
        <message>
            <source>データフォルダを {folder} に変更しました。次に起動したときから使います。今のデータを使い続けるには、今のフォルダの中身をそこへコピーしてください。</source>
            <translation>The data folder is now {folder}, used from the next start. To keep working with your current data, copy the contents of the current folder there.</translation>
        </message>
        <message>
            <source>データフォルダを選ぶ</source>
            <translation>Choose the data folder</translation>
        </message>
        <message>
            <source>データベース</source>
            <translation>Database</translation>
        </message>
        <message>
            <source>データベースはこの版のアプリと同じ形です。</source>
            <translation>Its tables match this version of the application.</translation>
        </message>
        <message>
            <source>データベースをこのデータフォルダ（SQLite）に戻しました。次に起動したときから使います。</source>
            <translation>The database is this data folder's own again (SQLite). It is used from the next start.</translation>
        </message>
        <message>
            <source>データベースを共有データベース {location} に変更しました。次に起動したときから使います。</source>
            <translation>The database is now the shared database {location}. It is used from the next start.</translation>
        </message>
        <message>
            <source>バックアップの保存先</source>
            <translation>Backup folder</translation>
        </message>
        <message>
            <source>バックアップの保存先を選ぶ</source>
            <translation>Choose the backup folder</translation>
        </message>
        <message>
            <source>共有データベースの URL</source>
            <translation>Shared database URL</translation>
        </message>
        <message>
            <source>共有データベース（PostgreSQL）</source>
            <translation>Shared database (PostgreSQL)</translation>
        </message>
        <message>
            <source>参照…</source>
            <translation>Browse…</translation>
        </message>
        <message>
            <source>古い版のアプリで作られたデータベースです。この版のアプリで開くときにバックアップを取ってから更新します（管理者が「jcim-desktop db migrate」で先に更新することもできます）。</source>
            <translation>An older version of the application made it; this version backs it up and updates it when it opens it (the administrator can update it beforehand with “jcim-desktop db migrate”).</translation>
        </message>
        <message>
            <source>変更履歴に記録される名前</source>
            <translation>The name kept in the change history</translation>
        </message>
        <message>
            <source>形: postgresql+psycopg://利用者@サーバー/データベース名。パスワードは URL に書かず、.pgpass か環境変数 PGPASSWORD に置きます（設定ファイルは暗号化されないため）。</source>
            <translation>Form: postgresql+psycopg://user@server/database. Do not put the password in the URL: keep it in .pgpass or in the environment variable PGPASSWORD (the settings file is not encrypted).</translation>
        </message>
        <message>
            <source>接続しています…</source>
            <translation>Connecting…</translation>
        </message>
        <message>
            <source>接続テスト</source>
            <translation>Test connection</translation>
        </message>
        <message>
            <source>新しいデータベースを確かめています…</source>
            <translation>Checking the new database…</translation>
        </message>
        <message>
            <source>新しいパソコンへ移るときに、この端末の鍵をパスフレーズで守って1つのファイルに書き出します</source>
            <translation>For moving to a new computer: writes this computer's keys to one file, protected by a passphrase</translation>
        </message>
        <message>
            <source>暗号化の受信者</source>
            <translation>Encryption recipient</translation>
        </message>
        <message>
            <source>書き込んでいる端末</source>
            <translation>Installations</translation>
        </message>
        <message>
            <source>書き込んでいる端末: {count} 台。</source>
            <translation>Installations writing to it: {count}.</translation>
        </message>
        <message>
            <source>最新の変更</source>
            <translation>Latest change</translation>
        </message>
        <message>
            <source>残すバックアップ</source>
            <translation>Backups to keep</translation>
        </message>
        <message>
            <source>登録日</source>
            <translation>Registered on</translation>
        </message>
        <message>
            <source>端末ID: {id}</source>
            <translation>Installation ID: {id}</translation>
        </message>
        <message>
            <source>組織</source>
            <translation>Organisation</translation>
        </message>
        <message>
            <source>組織: {org}　端末ID: {installation}</source>
            <translation>Organisation: {org}   Installation ID: {installation}</translation>
        </message>
        <message>
            <source>署名鍵と暗号鍵は OS の資格情報ストア（Windows 資格情報マネージャー／macOS キーチェーン／Secret Service）に保存しています。</source>
            <translation>The signing and encryption keys are kept in the operating system's credential store (Windows Credential Manager / macOS Keychain / Secret Service).</translation>
        </message>
        <message>
            <source>表示言語</source>
            <translation>Display language</translation>
        </message>
        <message>
            <source>表示言語は次に起動したときに切り替わります。</source>
            <translation>The display language changes the next time the app starts.</translation>
        </message>
        <message>
            <source>設定</source>
            <translation>Settings</translation>
        </message>
        <message>
            <source>読み込んでいます…</source>
            <translation>Loading…</translation>
        </message>
        <message>
            <source>鍵ID</source>
            <translation>Key ID</translation>
        </message>
        <message>
            <source>鍵ID: {key}</source>
            <translation>Key ID: {key}</translation>
        </message>
        <message>
            <source>鍵を書き出す…</source>
            <translation>Export the keys…</translation>
        </message>
    </context>
    <context>
        <name>SharedWatch</name>
        <message>
            <source>{name}さん</source>
            <translation>{name}</translation>
        </message>
        <message numerus="yes">
            <source>{name}さんほか %n 名</source>
            <translation>
                <numerusform>{name} and %n other</numerusform>
                <numerusform>{name} and %n others</numerusform>
            </translation>
        </message>
        <message numerus="yes">
            <source>{who}が{entity} %n 件を保存しました</source>
            <translation>
                <numerusform>{who} saved %n record in {entity}</numerusform>
                <numerusform>{who} saved %n records in {entity}</numerusform>
            </translation>
        </message>
        <message numerus="yes">
            <source>{who}が{entity} %n 件を削除しました</source>
            <translation>
                <numerusform>{who} deleted %n record in {entity}</numerusform>
                <numerusform>{who} deleted %n records in {entity}</numerusform>
            </translation>
        </message>
        <message numerus="yes">
            <source>{who}が{entity}ほか %n 件を保存しました</source>
            <translation>
                <numerusform>{who} saved %n record ({entity} and more)</numerusform>
                <numerusform>{who} saved %n records ({entity} and more)</numerusform>
            </translation>
        </message>
        <message numerus="yes">
            <source>{who}がパッケージを取り込みました（%n 件の記録）</source>
            <translation>
                <numerusform>{who} imported a package (%n record)</numerusform>
                <numerusform>{who} imported a package (%n records)</numerusform>
            </translation>
        </message>
        <message>
            <source>{who}が取り込みを取り消しました</source>
            <translation>{who} undid an import</translation>
        </message>
        <message>
            <source>ほかの担当者</source>
            <translation>A colleague</translation>
        </message>
        <message numerus="yes">
            <source>パッケージが取り込まれました（%n 件の記録）</source>
            <translation>
                <numerusform>A package was imported (%n record)</numerusform>
                <numerusform>A package was imported (%n records)</numerusform>
            </translation>
        </message>
        <message>
            <source>共有データベースに再び接続しました。</source>
            <translation>Connected to the shared database again.</translation>
        </message>
        <message>
            <source>共有データベースに接続できません。再接続を試みています…</source>
            <translation>Cannot reach the shared database. Trying again…</translation>
        </message>
    </context>
    <context>
        <name>StageDialog</name>
        <message>
            <source>このマッチングは、表示された後に{org}から受け取った変更で更新されました（{when}）。</source>
            <translation>This matching was updated by a change received from {org} after it was shown ({when}). </translation>
        </message>
        <message>
            <source>このマッチングは、表示された後に{who}が削除しました（{when}）。</source>
            <translation>This matching was deleted by {who} after it was shown ({when}). </translation>
        </message>
        <message>
            <source>このマッチングは、表示された後に{who}が変更しました（{when}）。</source>
            <translation>This matching was changed by {who} after it was shown ({when}). </translation>
        </message>
        <message>
            <source>キャンセル</source>
            <translation>Cancel</translation>
        </message>
        <message>
            <source>メモ</source>
            <translation>Note</translation>
        </message>
        <message>
            <source>任意（例: 第12回ピッチイベントで成立）</source>
            <translation>Optional (e.g. established at the 12th pitch event)</translation>
        </message>
        <message>
            <source>前の段階「{stage}」の日付（{date}）より前です。{date}以降の日付にしてください。</source>
            <translation>This is before the date of the previous stage, “{stage}” ({date}). Choose {date} or later.</translation>
        </message>
        <message>
            <source>日付</source>
            <translation>Date</translation>
        </message>
        <message>
            <source>日時不明</source>
            <translation>time unknown</translation>
        </message>
        <message>
            <source>次の段階へ進める</source>
            <translation>Move to the next stage</translation>
        </message>
        <message>
            <source>段階</source>
            <translation>Stage</translation>
        </message>
        <message>
            <source>段階は記録していません。</source>
            <translation>The stage was not recorded.</translation>
        </message>
        <message>
            <source>段階は記録していません。いまの段階を表示しました。確かめてから、もう一度選んでください。</source>
            <translation>The stage was not recorded. The current stage is now shown: check it, then choose again.</translation>
        </message>
        <message>
            <source>段階は記録していません。ボードを読み込み直しました。いまの段階を確かめてから、もう一度進めてください。</source>
            <translation>The stage was not recorded. The board has been reloaded: check the current stage, then move the matching on again.</translation>
        </message>
        <message>
            <source>現在の段階: {stage}（{date}）</source>
            <translation>Current stage: {stage} ({date})</translation>
        </message>
        <message>
            <source>進める</source>
            <translation>Move on</translation>
        </message>
    </context>
    <context>
        <name>SupportDialog</name>
        <message>
            <source>{kind}（{place}）</source>
            <translation>{kind} ({place})</translation>
        </message>
        <message>
            <source>例: 2024-07-01、R6.7.1、令和6年7月1日</source>
            <translation>e.g. 2024-07-01, R6.7.1, 令和6年7月1日</translation>
        </message>
        <message>
            <source>備考</source>
            <translation>Notes</translation>
        </message>
        <message>
            <source>国・地域</source>
            <translation>Country/region</translation>
        </message>
        <message>
            <source>実施日</source>
            <translation>Date held</translation>
        </message>
        <message>
            <source>支援の種類</source>
            <translation>Type of support</translation>
        </message>
        <message>
            <source>海外での支援のみ。国・地域コード（英字2文字）</source>
            <translation>Overseas support only. Two-letter ISO country code (e.g. VN)</translation>
        </message>
        <message>
            <source>登録組織</source>
            <translation>Registered by</translation>
        </message>
        <message>
            <source>自治体</source>
            <translation>Municipality</translation>
        </message>
        <message>
            <source>自治体支援</source>
            <translation>Municipal support</translation>
        </message>
        <message>
            <source>自治体支援「{name}」を保存しました</source>
            <translation>Saved municipal support “{name}”</translation>
        </message>
        <message>
            <source>自治体支援の新規登録</source>
            <translation>New municipal support</translation>
        </message>
        <message>
            <source>自治体支援の編集</source>
            <translation>Edit municipal support</translation>
        </message>
        <message>
            <source>自治体支援（閲覧のみ）</source>
            <translation>Municipal support (read-only)</translation>
        </message>
    </context>
    <context>
        <name>SyncPage</name>
        <message numerus="yes">
            <source>%Ln 件の記録。担当者連絡先は含みません。</source>
            <translation>
                <numerusform>%Ln record; contacts not included.</numerusform>
                <numerusform>%Ln records; contacts not included.</numerusform>
            </translation>
        </message>
        <message numerus="yes">
            <source>%Ln 件の記録。担当者連絡先を含み、暗号化しました。</source>
            <translation>
                <numerusform>%Ln record; contacts included, encrypted.</numerusform>
                <numerusform>%Ln records; contacts included, encrypted.</numerusform>
            </translation>
        </message>
        <message numerus="yes">
            <source>%Ln 件の記録。担当者連絡先を含みます。</source>
            <translation>
                <numerusform>%Ln record; contacts included.</numerusform>
                <numerusform>%Ln records; contacts included.</numerusform>
            </translation>
        </message>
        <message numerus="yes">
            <source>%n 件のパッケージを取り込みました。</source>
            <translation>
                <numerusform>%n package was imported.</numerusform>
                <numerusform>%n packages were imported.</numerusform>
            </translation>
        </message>
        <message>
            <source>{entity} {count}</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>{file}: 取り込みました（{org} {issue}）{counts}</source>
            <translation>{file}: imported ({org}, {issue}) {counts}</translation>
        </message>
        <message>
            <source>{file}: 取り込みを取りやめました。</source>
            <translation>{file}: import cancelled.</translation>
        </message>
        <message>
            <source>{file}: 取り込めませんでした。何も変更していません。理由: {reason}</source>
            <translation>{file}: not imported; nothing was changed. Reason: {reason}</translation>
        </message>
        <message>
            <source>{issue}（{scope}）を書き出しました。</source>
            <translation>Exported {issue} — {scope}.</translation>
        </message>
        <message>
            <source>{name} の署名と内容を確かめています…</source>
            <translation>Checking the signature and contents of {name}…</translation>
        </message>
        <message>
            <source>{name} を取り込んでいます…</source>
            <translation>Importing {name}…</translation>
        </message>
        <message>
            <source>この端末: {org}（端末 {installation}）</source>
            <translation>This computer: {org} (computer {installation})</translation>
        </message>
        <message>
            <source>この端末で書き込める記録を、削除したものも含めて全件、署名付きの 1 つのファイルに書き出します。毎回全件の写しなので、途中の号が届かなくてもデータは失われません。</source>
            <translation>Writes every record this computer may write, deleted ones included, to one signed file. Each package is a full copy, so no data is lost if an issue goes missing.</translation>
        </message>
        <message>
            <source>まだパッケージを受け取っていません。</source>
            <translation>No packages received yet.</translation>
        </message>
        <message>
            <source>ニーズ・シーズの担当者の氏名・部署・メールアドレス・電話番号です。必要なときだけ含めてください。</source>
            <translation>Names, departments, email addresses and phone numbers of the contacts of needs and seeds. Include them only when needed.</translation>
        </message>
        <message>
            <source>事務局が登録した鍵は、ここでは信頼をやめられません。使わせたくないときは、事務局に失効を依頼してください。</source>
            <translation>A key the secretariat registered cannot be stopped here. To stop it, ask the secretariat to revoke it.</translation>
        </message>
        <message numerus="yes">
            <source>事務局の端末（%n 台）だけが開けるように暗号化します（.jcimsync.age）。</source>
            <translation>
                <numerusform>Encrypted so that only the secretariat's computer can open it (.jcimsync.age).</numerusform>
                <numerusform>Encrypted so that only the secretariat's %n computers can open it (.jcimsync.age).</numerusform>
            </translation>
        </message>
        <message>
            <source>保存先: {folder}</source>
            <translation>Saved in: {folder}</translation>
        </message>
        <message>
            <source>保存先のフォルダを開く</source>
            <translation>Open the folder</translation>
        </message>
        <message>
            <source>信頼している鍵</source>
            <translation>Trusted keys</translation>
        </message>
        <message>
            <source>信頼している鍵はまだありません。送り主から公開鍵のファイルを受け取り、「鍵を追加…」で登録してください。</source>
            <translation>No trusted keys yet. Get the public key file from the sender and register it with "Add key…".</translation>
        </message>
        <message>
            <source>信頼する公開鍵のファイル</source>
            <translation>Public key file to trust</translation>
        </message>
        <message>
            <source>信頼をやめる</source>
            <translation>Stop trusting</translation>
        </message>
        <message>
            <source>全国（配布用：この端末にあるすべての記録）</source>
            <translation>Nationwide (all records, to distribute)</translation>
        </message>
        <message>
            <source>公開鍵の書き出し</source>
            <translation>Export the public key</translation>
        </message>
        <message>
            <source>公開鍵を書き出しました。
{path}

鍵ID {key}
このファイルを受け取る側に渡し、鍵IDを電話などで読み合わせて確かめてもらってください。</source>
            <translation>The public key was exported.
{path}

Key ID {key}
Give this file to the receiving side, and confirm the key ID with them, e.g. by reading it out over the phone.</translation>
        </message>
        <message>
            <source>公開鍵を書き出す…</source>
            <translation>Export public key…</translation>
        </message>
        <message>
            <source>取り込み…</source>
            <translation>Import…</translation>
        </message>
        <message>
            <source>取り込み（受け取る）</source>
            <translation>Import (receive)</translation>
        </message>
        <message>
            <source>受け取ったパッケージ（端末ごとの最新）</source>
            <translation>Packages received (latest per computer)</translation>
        </message>
        <message>
            <source>各端末の公開鍵を一度だけ登録します。登録した鍵は次の全国（配布用）パッケージで各端末に届き、事務局の鍵を信頼している端末はその鍵も信頼します。</source>
            <translation>Register each computer's public key once. Registered keys reach every computer with the next nationwide (distribution) package, and every computer that trusts the secretariat's key trusts them too.</translation>
        </message>
        <message>
            <source>同期</source>
            <translation>Sync</translation>
        </message>
        <message>
            <source>同期パッケージ (*.jcimsync *.jcimsync.age)</source>
            <translation>Sync packages (*.jcimsync *.jcimsync.age)</translation>
        </message>
        <message>
            <source>同期パッケージの取り込み</source>
            <translation>Import a sync package</translation>
        </message>
        <message>
            <source>同期パッケージの書き出し</source>
            <translation>Export a sync package</translation>
        </message>
        <message>
            <source>同期パッケージを書き出しています…</source>
            <translation>Exporting the sync package…</translation>
        </message>
        <message>
            <source>同期パッケージを書き出しました: {path}</source>
            <translation>Sync package exported: {path}</translation>
        </message>
        <message>
            <source>失効…</source>
            <translation>Revoke…</translation>
        </message>
        <message>
            <source>宛先…</source>
            <translation>Recipients…</translation>
        </message>
        <message>
            <source>届いた .jcimsync（暗号化されたものは .jcimsync.age）ファイルを選ぶか、このウィンドウにドラッグ＆ドロップしてください。署名と内容を確かめ、何が追加・更新されるかを確認してから取り込みます。</source>
            <translation>Choose a .jcimsync file you received (.jcimsync.age when encrypted), or drag and drop it onto this window. Its signature and contents are checked, and you see what will be added or updated before importing.</translation>
        </message>
        <message>
            <source>担当者連絡先を含むパッケージを、宛先の端末だけが開けるように暗号化します（age 形式、.jcimsync.age）。</source>
            <translation>Encrypts a package with contacts so that only the recipients' computers can open it (age format, .jcimsync.age).</translation>
        </message>
        <message>
            <source>担当者連絡先（個人情報）を含める</source>
            <translation>Include contact persons (personal data)</translation>
        </message>
        <message>
            <source>担当者連絡先（個人情報）を暗号化せずに書き出します。</source>
            <translation>Contacts (personal data) will be exported without encryption.</translation>
        </message>
        <message>
            <source>暗号化した同期パッケージ (*.jcimsync.age)</source>
            <translation>Encrypted sync packages (*.jcimsync.age)</translation>
        </message>
        <message>
            <source>暗号化する（事務局宛て）</source>
            <translation>Encrypt (for the secretariat)</translation>
        </message>
        <message>
            <source>暗号化する（登録済みの宛先へ）</source>
            <translation>Encrypt (to the registered recipients)</translation>
        </message>
        <message>
            <source>暗号化せずに書き出す</source>
            <translation>Export without encryption</translation>
        </message>
        <message>
            <source>暗号化の宛先がまだありません。各端末のパッケージを取り込むと、その端末の受信者が届きます。「宛先…」で追加することもできます。暗号化せずに書き出すときは確認します。</source>
            <translation>No recipient to encrypt to yet. Importing a computer's package brings its recipient; you can also add one with “Recipients…”. Exporting without encryption asks first.</translation>
        </message>
        <message>
            <source>暗号化の宛先（事務局の受信者）がまだわかりません。事務局の全国パッケージを取り込むと届きます。「宛先…」で事務局の受信者（age1…）を追加することもできます。暗号化せずに書き出すときは確認します。</source>
            <translation>The secretariat's recipient to encrypt to is not known yet: it arrives with the secretariat's national package, or add it (age1…) with “Recipients…”. Exporting without encryption asks first.</translation>
        </message>
        <message>
            <source>暗号化の宛先（受信者）を確かめ、追加します</source>
            <translation>See and add the recipients packages are encrypted to</translation>
        </message>
        <message>
            <source>書き出し…</source>
            <translation>Export…</translation>
        </message>
        <message>
            <source>書き出しを取りやめました。何も書き出していません。</source>
            <translation>Export cancelled. Nothing was written.</translation>
        </message>
        <message>
            <source>書き出し（送る）</source>
            <translation>Export (send)</translation>
        </message>
        <message>
            <source>登録した鍵・信頼している鍵はまだありません。各端末から公開鍵のファイルを受け取り、「鍵を登録…」で登録してください。</source>
            <translation>No registered or trusted keys yet. Get each computer's public key file and register it with "Register key…".</translation>
        </message>
        <message numerus="yes">
            <source>登録済みの %n 件の宛先だけが開けるように暗号化します（.jcimsync.age）。</source>
            <translation>
                <numerusform>Encrypted so that only the 1 registered recipient can open it (.jcimsync.age).</numerusform>
                <numerusform>Encrypted so that only the %n registered recipients can open it (.jcimsync.age).</numerusform>
            </translation>
        </message>
        <message>
            <source>競合があります。「競合」ページで確認してください。</source>
            <translation>There are conflicts. Review them on the “Conflicts” page.</translation>
        </message>
        <message>
            <source>範囲</source>
            <translation>Scope</translation>
        </message>
        <message>
            <source>自組織分（全国フォーラム・部会・事務局の記録）</source>
            <translation>Own records (national forums etc.)</translation>
        </message>
        <message>
            <source>連絡先（個人情報）を暗号化せずに書き出します。よろしいですか？</source>
            <translation>Contacts (personal data) will be exported without encryption. Continue?</translation>
        </message>
        <message>
            <source>選んだ登録済みの鍵を、指定した日付で失効させます（端末をなくしたときなど）。</source>
            <translation>Revoke the selected registered key from a date you choose (when a computer is lost, for example).</translation>
        </message>
        <message>
            <source>鍵ID</source>
            <translation>Key ID</translation>
        </message>
        <message>
            <source>鍵ID {key} の信頼をやめました。</source>
            <translation>Key ID {key} is no longer trusted.</translation>
        </message>
        <message>
            <source>鍵ID {key} の登録を取り消しました。次の全国（配布用）パッケージで各フォーラムに伝わります。</source>
            <translation>Withdrew the registration of key ID {key}. The forums learn of it with the next nationwide (distribution) package.</translation>
        </message>
        <message>
            <source>鍵ID {key} を「{label}」として登録しました（{orgs}）。次の全国（配布用）パッケージで各端末に届きます。</source>
            <translation>Registered key ID {key} as "{label}" ({orgs}). It reaches every computer with the next nationwide (distribution) package.</translation>
        </message>
        <message>
            <source>鍵ID {key} を信頼しました（{orgs}）。</source>
            <translation>Key ID {key} is now trusted ({orgs}).</translation>
        </message>
        <message>
            <source>鍵ID {key}（{label}）を{date}付けで失効させました。次の全国（配布用）パッケージで各フォーラムに伝わります。</source>
            <translation>Revoked key ID {key} ({label}) as of {date}. The forums learn of it with the next nationwide (distribution) package.</translation>
        </message>
        <message>
            <source>鍵ID {key}（{orgs}）の信頼をやめますか？
この鍵で署名されたパッケージは、今後取り込めなくなります。取り込み済みの記録はそのまま残ります。</source>
            <translation>Stop trusting key ID {key} ({orgs})?
Packages signed with this key can no longer be imported. Records already imported stay as they are.</translation>
        </message>
        <message>
            <source>鍵ID {key}（{orgs}）を手動で信頼するのをやめますか？
事務局が登録した鍵でもあるため、登録された組織の記録は引き続き受け付けます。</source>
            <translation>Stop trusting key ID {key} ({orgs}) by hand?
The secretariat registered it too, so the records of the organisations it is registered for are still accepted.</translation>
        </message>
        <message>
            <source>鍵を登録…</source>
            <translation>Register key…</translation>
        </message>
        <message>
            <source>鍵を追加…</source>
            <translation>Add key…</translation>
        </message>
    </context>
    <context>
        <name>TargetsModel</name>
        <message>
            <source>KPI</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>{description}（目標は % で入力します。70 と入力すると 70%）</source>
            <translation>{description} (targets are in %: entering 70 means 70%)</translation>
        </message>
        <message>
            <source>{kpi}の目標は 0～100（%）で入力してください。</source>
            <translation>Enter the target of {kpi} from 0 to 100 (%).</translation>
        </message>
        <message>
            <source>{kpi}の目標は数値で入力してください。</source>
            <translation>Enter the target of {kpi} as a number.</translation>
        </message>
        <message>
            <source>実績（総合計）</source>
            <translation>Result (grand total)</translation>
        </message>
        <message>
            <source>目標</source>
            <translation>Target</translation>
        </message>
        <message>
            <source>達成率</source>
            <translation>Achievement</translation>
        </message>
    </context>
    <context>
        <name>TargetsPage</name>
        <message>
            <source>年度</source>
            <translation>Fiscal year</translation>
        </message>
        <message>
            <source>目標の欄をダブルクリックして入力します。割合の KPI は % で入力してください（70 → 70%）。</source>
            <translation>Double-click a target cell to enter it. Enter rate KPIs in % (70 → 70%).</translation>
        </message>
    </context>
    <context>
        <name>TrendsPage</name>
        <message>
            <source>KPI</source>
            <translation type="unfinished" />
        </message>
        <message numerus="yes">
            <source>{first}～{last}（%n年度）</source>
            <translation>
                <numerusform>{first} – {last} (1 fiscal year)</numerusform>
                <numerusform>{first} – {last} (%n fiscal years)</numerusform>
            </translation>
        </message>
        <message>
            <source>事業報告などで公表した過去の年度の数値を、その年度の公式の数値として入力します</source>
            <translation>Enter the figures published for a past fiscal year (in an annual report or the like) as that year's official figures</translation>
        </message>
        <message>
            <source>公表値を入力…</source>
            <translation>Enter published figures…</translation>
        </message>
        <message>
            <source>濃い棒は事務局が確定した、または公表した全国の公式の数値（全国配布パッケージで届きます）、薄い棒はこの端末が持つ記録から集計した数値（集計中）です。達成率（実績 ÷ 目標）は全国の公式の数値にだけ示します。</source>
            <translation>Dark bars are the national official figures the secretariat closed or published (they arrive in the national packages); light bars are tallied from the records on this computer (live). Achievement (actual ÷ target) is shown for national official figures only.</translation>
        </message>
        <message>
            <source>濃い棒は公式の数値（年度確定で固定した数値、または入力した公表値）、薄い棒は記録から集計した現在の数値（集計中）です。達成率は実績 ÷ 目標です。</source>
            <translation>Dark bars are official figures (fixed when a year was closed, or published figures typed in); light bars are the current figures tallied from the records (live). Achievement is the actual figure ÷ the target.</translation>
        </message>
        <message>
            <source>確定</source>
            <translation>Closed</translation>
        </message>
        <message>
            <source>確定（公表値）</source>
            <translation>Closed (published)</translation>
        </message>
        <message>
            <source>集計しています…</source>
            <translation>Tallying…</translation>
        </message>
        <message>
            <source>集計中</source>
            <translation>Live</translation>
        </message>
    </context>
    <context>
        <name>TrialDialog</name>
        <message>
            <source>シーズ（技術）</source>
            <translation>Technology seeds</translation>
        </message>
        <message>
            <source>ピッチイベント</source>
            <translation>Pitch event</translation>
        </message>
        <message>
            <source>ピッチイベント名で検索して選ぶ（任意）</source>
            <translation>Search by pitch event name and choose (optional)</translation>
        </message>
        <message>
            <source>マッチング</source>
            <translation>Matching</translation>
        </message>
        <message>
            <source>例: 1（任意）</source>
            <translation>e.g. 1 (optional)</translation>
        </message>
        <message>
            <source>例: ドローンによる橋梁点検の現場試行</source>
            <translation>e.g. Field trial of bridge inspection by drone</translation>
        </message>
        <message>
            <source>実施予定日</source>
            <translation>Planned date</translation>
        </message>
        <message>
            <source>実施回</source>
            <translation>Round</translation>
        </message>
        <message>
            <source>実施日</source>
            <translation>Date held</translation>
        </message>
        <message>
            <source>実証実験</source>
            <translation>Field trials</translation>
        </message>
        <message>
            <source>実証実験「{name}」を保存しました</source>
            <translation>Saved field trial “{name}”</translation>
        </message>
        <message>
            <source>実証実験の新規登録</source>
            <translation>New field trial</translation>
        </message>
        <message>
            <source>実証実験の編集</source>
            <translation>Edit field trial</translation>
        </message>
        <message>
            <source>実証実験名</source>
            <translation>Field trial name</translation>
        </message>
        <message>
            <source>実証実験（閲覧のみ）</source>
            <translation>Field trial (read-only)</translation>
        </message>
        <message>
            <source>状況</source>
            <translation>Status</translation>
        </message>
        <message>
            <source>登録組織</source>
            <translation>Registered by</translation>
        </message>
        <message>
            <source>終了日（1日なら空欄）</source>
            <translation>End date (blank for one day)</translation>
        </message>
        <message>
            <source>結果</source>
            <translation>Result</translation>
        </message>
        <message>
            <source>自治体</source>
            <translation>Municipality</translation>
        </message>
        <message>
            <source>自治体ニーズ</source>
            <translation>Municipal needs</translation>
        </message>
        <message>
            <source>開始日</source>
            <translation>Start date</translation>
        </message>
    </context>
    <context>
        <name>TrustModel</name>
        <message>
            <source>{source}。{date}に失効しました。この日より後に作成されたこの鍵のパッケージは受け付けません。</source>
            <translation>{source}. Revoked on {date}: packages signed with this key and created after that day are refused.</translation>
        </message>
        <message>
            <source>{source}。事務局の登録は{date}に失効しましたが、手動で追加した鍵なので引き続き信頼しています。</source>
            <translation>{source}. The secretariat's registration was revoked on {date}, but the key was added by hand, so it is still trusted.</translation>
        </message>
        <message>
            <source>{source}。事務局の鍵を信頼しているので、事務局が登録したこの鍵も信頼しています。</source>
            <translation>{source}. This computer trusts the secretariat's key, so it also trusts the keys the secretariat registered.</translation>
        </message>
        <message>
            <source>メモ</source>
            <translation>Note</translation>
        </message>
        <message>
            <source>事務局が登録（{label}）</source>
            <translation>Registered by the secretariat ({label})</translation>
        </message>
        <message>
            <source>出所</source>
            <translation>Source</translation>
        </message>
        <message>
            <source>失効日</source>
            <translation>Revoked on</translation>
        </message>
        <message>
            <source>手動で追加</source>
            <translation>Added by hand</translation>
        </message>
        <message>
            <source>手動で追加・事務局も登録（{label}）</source>
            <translation>Added by hand; also registered by the secretariat ({label})</translation>
        </message>
        <message>
            <source>書いてよい組織</source>
            <translation>May write for</translation>
        </message>
        <message>
            <source>登録日</source>
            <translation>Registered on</translation>
        </message>
        <message>
            <source>鍵ID</source>
            <translation>Key ID</translation>
        </message>
    </context>
    <context>
        <name>UntrustedKeyDialog</name>
        <message>
            <source>{org} から届いたパッケージに、この鍵が書くことを認められていない記録があります</source>
            <translation>The package from {org} holds records this key is not trusted to write</translation>
        </message>
        <message>
            <source>{org} から届いたパッケージは、まだ信頼していない鍵で署名されています</source>
            <translation>The package from {org} is signed with a key not trusted yet</translation>
        </message>
        <message>
            <source>この鍵は {trusted} の記録を書くことを信頼されていますが、このパッケージには {refused} の記録も含まれています。{org}の担当者に電話やメールで確かめ、{refused} の記録もこの鍵で受け取ってよい場合だけ、「この鍵を信頼して取り込む…」を押してください。</source>
            <translation>This key is trusted to write the records of {trusted}, but this package also holds records of {refused}. Check with the person in charge at {org} by phone or e-mail, and press “Trust this key and import…” only if records of {refused} may come with this key.</translation>
        </message>
        <message>
            <source>この鍵を信頼して取り込む…</source>
            <translation>Trust this key and import…</translation>
        </message>
        <message>
            <source>なりすましを防ぐため、信頼していない鍵で署名されたパッケージは取り込みません。{org}の担当者に電話やメールで連絡し、相手の「同期」ページに表示されている鍵IDが上の鍵IDと一致することを確かめてください。一致したら「この鍵を信頼して取り込む…」を押します。一致しないときは取り込まず、送り主に知らせてください。</source>
            <translation>To guard against impersonation, a package signed with a key not trusted is not imported. Contact the person in charge at {org} by phone or e-mail and check that the key ID shown on their Sync page matches the key ID above. If it does, press “Trust this key and import…”. If it does not, do not import the package and tell the sender.</translation>
        </message>
        <message>
            <source>ファイル</source>
            <translation>File</translation>
        </message>
        <message>
            <source>信頼されていない鍵</source>
            <translation>Untrusted key</translation>
        </message>
        <message>
            <source>取り込まない</source>
            <translation>Don't import</translation>
        </message>
        <message>
            <source>取り込むまで、この端末のデータは何も変わっていません。</source>
            <translation>Nothing on this computer has changed: nothing is imported until you confirm.</translation>
        </message>
        <message>
            <source>含まれる記録</source>
            <translation>Records of</translation>
        </message>
        <message>
            <source>送り主</source>
            <translation>Sender</translation>
        </message>
        <message>
            <source>鍵ID</source>
            <translation>Key ID</translation>
        </message>
        <message>
            <source>（記録なし）</source>
            <translation>(no records)</translation>
        </message>
    </context>
    <context>
        <name>YearChart</name>
        <message>
            <source>{fiscal_year}: {value}　全国目標 {target}（参考）　{state}</source>
            <translation>{fiscal_year}: {value}, national target {target} (for reference), {state}</translation>
        </message>
        <message>
            <source>{fiscal_year}: {value}　目標 {target}（達成率 {achievement}）　{state}</source>
            <translation>{fiscal_year}: {value}, target {target} (achievement {achievement}), {state}</translation>
        </message>
        <message>
            <source>{fiscal_year}: {value}　目標なし　{state}</source>
            <translation>{fiscal_year}: {value}, no target, {state}</translation>
        </message>
        <message>
            <source>公表値（公式の数値）</source>
            <translation>published (official)</translation>
        </message>
        <message>
            <source>目標</source>
            <translation>Target</translation>
        </message>
        <message>
            <source>確定・公表値（公式）</source>
            <translation>Closed or published (official)</translation>
        </message>
        <message>
            <source>確定（公式の数値）</source>
            <translation>closed (official)</translation>
        </message>
        <message>
            <source>表示できる年度がありません。記録を入力するか、過去の年度の公表値を入力してください。</source>
            <translation>No fiscal year to show yet. Enter records, or the published figures of past years.</translation>
        </message>
        <message>
            <source>集計中（記録から集計した現在の数値）</source>
            <translation>live (tallied from the records now)</translation>
        </message>
        <message>
            <source>集計中（記録から集計）</source>
            <translation>Live (tallied from the records)</translation>
        </message>
    </context>
    <context>
        <name>YearsModel</name>
        <message>
            <source>事業報告などから入力した公表値（公式の数値）です。</source>
            <translation>A published figure typed in from an annual report or the like (official).</translation>
        </message>
        <message>
            <source>実績</source>
            <translation>Actual</translation>
        </message>
        <message>
            <source>年度</source>
            <translation>Fiscal year</translation>
        </message>
        <message>
            <source>年度確定で固定した公式の数値です。あとから記録が変わっても変わりません。</source>
            <translation>The official figure fixed when the year was closed. It does not change when records change later.</translation>
        </message>
        <message>
            <source>目標</source>
            <translation>Target</translation>
        </message>
        <message>
            <source>確定／集計中</source>
            <translation>Closed / live</translation>
        </message>
        <message>
            <source>記録から集計した現在の数値です。記録が増えれば変わります。</source>
            <translation>The current figure tallied from the records. It changes as records are added.</translation>
        </message>
        <message>
            <source>達成率</source>
            <translation>Achievement</translation>
        </message>
    </context>
    <context>
        <name>_IdentityDialog</name>
        <message>
            <source>参照…</source>
            <translation>Browse…</translation>
        </message>
    </context>
    <context>
        <name>_Plurals</name>
        <message numerus="yes">
            <source>%Ln 件</source>
            <translation>
                <numerusform>%Ln record</numerusform>
                <numerusform>%Ln records</numerusform>
            </translation>
        </message>
    </context>
    <context>
        <name>app</name>
        <message>
            <source>JCIM Desktop</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>このフォルダのデータベース（SQLite）を使う</source>
            <translation>Use this folder's database (SQLite)</translation>
        </message>
        <message>
            <source>この端末の鍵は引き継いだので、ほかの端末の信頼はそのままです。</source>
            <translation>This computer kept its key, so other computers still trust it.</translation>
        </message>
        <message>
            <source>デモデータを読み込みました（{count} 件）。</source>
            <translation>Demo data loaded ({count} records).</translation>
        </message>
        <message>
            <source>デモデータを読み込んでいます…</source>
            <translation>Loading the demo data…</translation>
        </message>
        <message>
            <source>信頼していた鍵は「同期」ページで設定し直してください。事務局の全国パッケージを取り込むと、送ってあった記録が戻ります。</source>
            <translation>Set up the keys you trusted again on the “Sync” page. Importing the secretariat’s national package brings back the records you had sent.</translation>
        </message>
        <message>
            <source>再試行</source>
            <translation>Retry</translation>
        </message>
        <message>
            <source>壊れたデータベースは {name} として残しました。</source>
            <translation>The damaged database was kept as {name}.</translation>
        </message>
        <message>
            <source>空のデータベースで新しく始めました。</source>
            <translation>Started fresh with an empty database.</translation>
        </message>
        <message>
            <source>終了</source>
            <translation>end</translation>
        </message>
        <message>
            <source>鍵が見つからなかったため、新しい鍵を作りました。事務局やほかの端末に、この鍵をもう一度信頼してもらってください。</source>
            <translation>No key was found, so a new key was made. Ask the secretariat and the other computers to trust this key again.</translation>
        </message>
    </context>
    <context>
        <name>backup_dialog</name>
        <message>
            <source>取り込み前</source>
            <translation>Before an import</translation>
        </message>
        <message>
            <source>復元前</source>
            <translation>Before restore</translation>
        </message>
        <message>
            <source>手動</source>
            <translation>Manual</translation>
        </message>
        <message>
            <source>更新前</source>
            <translation>Before an upgrade</translation>
        </message>
        <message>
            <source>毎日の自動</source>
            <translation>Daily (automatic)</translation>
        </message>
    </context>
    <context>
        <name>crash</name>
        <message>
            <source>
詳細は {path} に記録しました。</source>
            <translation>
The details were written to {path}.</translation>
        </message>
        <message>
            <source>JCIM Desktop</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>予期しないエラーが発生しました（{kind}）。入力中の内容は下書きとして保存されています。{where}
事務局またはシステム担当者に連絡してください。</source>
            <translation>An unexpected error occurred ({kind}). What you were typing has been kept as a draft.{where}
Please contact the secretariat or your system administrator.</translation>
        </message>
    </context>
    <context>
        <name>identity_dialogs</name>
        <message>
            <source>鍵のファイル (*.age);;すべてのファイル (*)</source>
            <translation>Key files (*.age);;All files (*)</translation>
        </message>
    </context>
    <context>
        <name>ops</name>
        <message>
            <source>JCIM Desktop</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>キャンセル</source>
            <translation>Cancel</translation>
        </message>
        <message>
            <source>キャンセルしています…</source>
            <translation>Cancelling…</translation>
        </message>
        <message>
            <source>処理</source>
            <translation>The operation</translation>
        </message>
    </context>
    <context>
        <name>pages</name>
        <message>
            <source>KPI目標</source>
            <translation>KPI targets</translation>
        </message>
        <message>
            <source>シーズ（技術）</source>
            <translation>Technology seeds</translation>
        </message>
        <message>
            <source>ダッシュボード</source>
            <translation>Dashboard</translation>
        </message>
        <message>
            <source>ピッチイベント</source>
            <translation>Pitch events</translation>
        </message>
        <message>
            <source>マッチング</source>
            <translation>Matching</translation>
        </message>
        <message>
            <source>全国集計</source>
            <translation>National tally</translation>
        </message>
        <message>
            <source>受信状況</source>
            <translation>Packages received</translation>
        </message>
        <message>
            <source>同期</source>
            <translation>Sync</translation>
        </message>
        <message>
            <source>変更履歴</source>
            <translation>Change history</translation>
        </message>
        <message>
            <source>実証実験</source>
            <translation>Field trials</translation>
        </message>
        <message>
            <source>年度推移</source>
            <translation>Trends</translation>
        </message>
        <message>
            <source>活動・行事</source>
            <translation>Activities &amp; events</translation>
        </message>
        <message>
            <source>競合</source>
            <translation>Conflicts</translation>
        </message>
        <message>
            <source>自治体ニーズ</source>
            <translation>Municipal needs</translation>
        </message>
        <message>
            <source>自治体マスタ</source>
            <translation>Municipality master</translation>
        </message>
        <message>
            <source>自治体支援</source>
            <translation>Municipal support</translation>
        </message>
    </context>
    <context>
        <name>sync</name>
        <message>
            <source>jcim-{org}-{day}-第{sequence}号</source>
            <translation>jcim-{org}-{day}-no{sequence}</translation>
        </message>
        <message>
            <source>jcim-{org}-全国-{day}-第{sequence}号</source>
            <translation>jcim-{org}-national-{day}-no{sequence}</translation>
        </message>
        <message>
            <source>jcim-{org}-公開鍵-{key}.pub</source>
            <translation>jcim-{org}-public-key-{key}.pub</translation>
        </message>
        <message>
            <source>{org}（端末 {installation}）</source>
            <translation>{org} (computer {installation})</translation>
        </message>
        <message>
            <source>すべてのファイル (*)</source>
            <translation>All files (*)</translation>
        </message>
        <message>
            <source>すべての組織</source>
            <translation>All organisations</translation>
        </message>
        <message>
            <source>信頼していない鍵（鍵ID {key}）で署名されています。送り主: {sender}。鍵IDを送り主に電話やメールで確かめてから、もう一度取り込み、「この鍵を信頼して取り込む…」を選んでください。</source>
            <translation>It is signed with a key not trusted yet (key ID {key}). Sender: {sender}. Check the key ID with the sender by phone or e-mail, then import the file again and choose “Trust this key and import…”.</translation>
        </message>
        <message>
            <source>全国（配布用）</source>
            <translation>Nationwide (distribution)</translation>
        </message>
        <message>
            <source>公開鍵 (*.pub *.txt *.key);;すべてのファイル (*)</source>
            <translation>Public keys (*.pub *.txt *.key);;All files (*)</translation>
        </message>
        <message>
            <source>同期パッケージ (*.jcimsync)</source>
            <translation>Sync packages (*.jcimsync)</translation>
        </message>
        <message>
            <source>変更なし {n}</source>
            <translation>{n} unchanged</translation>
        </message>
        <message>
            <source>更新 {n}</source>
            <translation>{n} updated</translation>
        </message>
        <message>
            <source>競合 {n}</source>
            <translation>{n} in conflict</translation>
        </message>
        <message>
            <source>第{numbers}号が届いていません（全件の写しなので失われたデータはありません）</source>
            <translation>Issues no. {numbers} have not arrived (each package is a full copy, so no data was lost)</translation>
        </message>
        <message>
            <source>第{numbers}号など{count}号分が届いていません（全件の写しなので失われたデータはありません）</source>
            <translation>{count} issues, among them no. {numbers}, have not arrived (each package is a full copy, so no data was lost)</translation>
        </message>
        <message>
            <source>第{numbers}号（{count}号分）が届いていません（全件の写しなので失われたデータはありません）</source>
            <translation>Issues no. {numbers} ({count} issues) have not arrived (each package is a full copy, so no data was lost)</translation>
        </message>
        <message>
            <source>第{number}号が届いていません（全件の写しなので失われたデータはありません）</source>
            <translation>Issue no. {number} has not arrived (each package is a full copy, so no data was lost)</translation>
        </message>
        <message>
            <source>第{sequence}号</source>
            <translation>No. {sequence}</translation>
        </message>
        <message>
            <source>自組織分</source>
            <translation>Own records</translation>
        </message>
        <message>
            <source>計 {total} 件（{parts}）</source>
            <translation>{total} in all ({parts})</translation>
        </message>
        <message>
            <source>追加 {n}</source>
            <translation>{n} added</translation>
        </message>
        <message>
            <source>鍵ID {key}（送り主: {sender}）は「{orgs}」の記録を書くことを信頼されていません。送り主に確かめてから、もう一度取り込み、「この鍵を信頼して取り込む…」を選んでください。</source>
            <translation>Key ID {key} (sender: {sender}) is not trusted to write the records of {orgs}. Check with the sender, then import the file again and choose “Trust this key and import…”.</translation>
        </message>
    </context>
    <context>
        <name>vocab</name>
        <message>
            <source>KPI目標</source>
            <translation>KPI targets</translation>
        </message>
        <message>
            <source>KPI項目</source>
            <translation>KPI</translation>
        </message>
        <message>
            <source>NETIS登録番号</source>
            <translation>NETIS registration no.</translation>
        </message>
        <message>
            <source>その他</source>
            <translation>Other</translation>
        </message>
        <message>
            <source>その年度にマッチングが成立した数</source>
            <translation>Matchings established in the fiscal year</translation>
        </message>
        <message>
            <source>その年度にマッチングを検討した数</source>
            <translation>Matchings considered in the fiscal year</translation>
        </message>
        <message>
            <source>その年度に実施した実証実験・現場試行の数</source>
            <translation>Field trials carried out in the fiscal year</translation>
        </message>
        <message>
            <source>その年度に社会実装に至った数</source>
            <translation>Pairings that reached implementation in the fiscal year</translation>
        </message>
        <message>
            <source>よろず相談</source>
            <translation>Consultation</translation>
        </message>
        <message>
            <source>インフラメンテナンス市区町村長会議</source>
            <translation>Infrastructure Maintenance Mayors' Council</translation>
        </message>
        <message>
            <source>シーズ（技術）</source>
            <translation>Technology seeds</translation>
        </message>
        <message>
            <source>セミナー・講演会・講習会</source>
            <translation>Seminar/lecture/course</translation>
        </message>
        <message>
            <source>トンネル</source>
            <translation>Tunnels</translation>
        </message>
        <message>
            <source>ニーズヒアリング</source>
            <translation>Needs hearing</translation>
        </message>
        <message>
            <source>ニーズ調査</source>
            <translation>Needs survey</translation>
        </message>
        <message>
            <source>ハンズオン支援</source>
            <translation>Hands-on support</translation>
        </message>
        <message>
            <source>ピッチイベント</source>
            <translation>Pitch event</translation>
        </message>
        <message>
            <source>ピッチ発表</source>
            <translation>Pitch presentations</translation>
        </message>
        <message>
            <source>フォーラムとして数える活動・行事の実施数</source>
            <translation>Activities and events held that count as forums</translation>
        </message>
        <message>
            <source>フォーラム・シンポジウム</source>
            <translation>Forum/symposium</translation>
        </message>
        <message>
            <source>フォーラム実施数</source>
            <translation>Forums held</translation>
        </message>
        <message>
            <source>フォーラム実施数に数える</source>
            <translation>Count as a forum held</translation>
        </message>
        <message>
            <source>マッチング</source>
            <translation>Matching</translation>
        </message>
        <message>
            <source>マッチングイベント</source>
            <translation>Matching event</translation>
        </message>
        <message>
            <source>マッチング・現場試行・実装実施数</source>
            <translation>Matchings, field trials and implementations</translation>
        </message>
        <message>
            <source>マッチング中</source>
            <translation>Matching</translation>
        </message>
        <message>
            <source>マッチング成立</source>
            <translation>Matching established</translation>
        </message>
        <message>
            <source>マッチング成立数</source>
            <translation>Matchings established</translation>
        </message>
        <message>
            <source>マッチング検討</source>
            <translation>Matching considered</translation>
        </message>
        <message>
            <source>マッチング検討数</source>
            <translation>Matchings considered</translation>
        </message>
        <message>
            <source>メールアドレス</source>
            <translation>Email</translation>
        </message>
        <message>
            <source>ワークショップ・勉強会</source>
            <translation>Workshop/study group</translation>
        </message>
        <message>
            <source>三重県</source>
            <translation>Mie</translation>
        </message>
        <message>
            <source>上水道</source>
            <translation>Water supply</translation>
        </message>
        <message>
            <source>下水道</source>
            <translation>Sewerage</translation>
        </message>
        <message>
            <source>不成立</source>
            <translation>Dropped</translation>
        </message>
        <message>
            <source>不成立・中止</source>
            <translation>Dropped/cancelled</translation>
        </message>
        <message>
            <source>中国</source>
            <translation>Chugoku</translation>
        </message>
        <message>
            <source>中国フォーラム</source>
            <translation>Chugoku Forum</translation>
        </message>
        <message>
            <source>中止</source>
            <translation>Cancelled</translation>
        </message>
        <message>
            <source>中部</source>
            <translation>Chubu</translation>
        </message>
        <message>
            <source>中部フォーラム</source>
            <translation>Chubu Forum</translation>
        </message>
        <message>
            <source>九州</source>
            <translation>Kyushu</translation>
        </message>
        <message>
            <source>九州フォーラム</source>
            <translation>Kyushu Forum</translation>
        </message>
        <message>
            <source>予定</source>
            <translation>Planned</translation>
        </message>
        <message>
            <source>事務局</source>
            <translation>Secretariat</translation>
        </message>
        <message>
            <source>京都府</source>
            <translation>Kyoto</translation>
        </message>
        <message>
            <source>企業等名称</source>
            <translation>Company or organisation</translation>
        </message>
        <message>
            <source>企画部会</source>
            <translation>Planning Committee</translation>
        </message>
        <message>
            <source>会場</source>
            <translation>Venue</translation>
        </message>
        <message>
            <source>佐賀県</source>
            <translation>Saga</translation>
        </message>
        <message>
            <source>備考</source>
            <translation>Notes</translation>
        </message>
        <message>
            <source>全国フォーラム</source>
            <translation>National forums</translation>
        </message>
        <message>
            <source>公園</source>
            <translation>Parks</translation>
        </message>
        <message>
            <source>公開鍵</source>
            <translation>Public key</translation>
        </message>
        <message>
            <source>共催した組織</source>
            <translation>Co-hosts</translation>
        </message>
        <message>
            <source>兵庫県</source>
            <translation>Hyogo</translation>
        </message>
        <message>
            <source>内容</source>
            <translation>Description</translation>
        </message>
        <message>
            <source>出典</source>
            <translation>Source</translation>
        </message>
        <message>
            <source>出前授業</source>
            <translation>Outreach class</translation>
        </message>
        <message>
            <source>出前授業およびワークショップ開催数</source>
            <translation>Outreach classes and workshops held</translation>
        </message>
        <message>
            <source>出前授業・ワークショップ・勉強会の開催数</source>
            <translation>Outreach classes, workshops and study groups held</translation>
        </message>
        <message>
            <source>出展</source>
            <translation>Exhibition</translation>
        </message>
        <message>
            <source>北海道</source>
            <translation>Hokkaido</translation>
        </message>
        <message>
            <source>北海道フォーラム</source>
            <translation>Hokkaido Forum</translation>
        </message>
        <message>
            <source>北陸</source>
            <translation>Hokuriku</translation>
        </message>
        <message>
            <source>北陸フォーラム</source>
            <translation>Hokuriku Forum</translation>
        </message>
        <message>
            <source>千葉県</source>
            <translation>Chiba</translation>
        </message>
        <message>
            <source>参加・支援した自治体</source>
            <translation>Participating/supported municipalities</translation>
        </message>
        <message>
            <source>参加者数</source>
            <translation>Participants</translation>
        </message>
        <message>
            <source>取下げ</source>
            <translation>Withdrawn</translation>
        </message>
        <message>
            <source>受付</source>
            <translation>Received</translation>
        </message>
        <message>
            <source>受付日</source>
            <translation>Received on</translation>
        </message>
        <message>
            <source>名前</source>
            <translation>Name</translation>
        </message>
        <message>
            <source>和歌山県</source>
            <translation>Wakayama</translation>
        </message>
        <message>
            <source>四半期</source>
            <translation>Quarter</translation>
        </message>
        <message>
            <source>四国</source>
            <translation>Shikoku</translation>
        </message>
        <message>
            <source>四国フォーラム</source>
            <translation>Shikoku Forum</translation>
        </message>
        <message>
            <source>国・地域</source>
            <translation>Country/region</translation>
        </message>
        <message>
            <source>地方フォーラム</source>
            <translation>Regional forums</translation>
        </message>
        <message>
            <source>基準日</source>
            <translation>Reference date</translation>
        </message>
        <message>
            <source>埼玉県</source>
            <translation>Saitama</translation>
        </message>
        <message>
            <source>大分県</source>
            <translation>Oita</translation>
        </message>
        <message>
            <source>大阪府</source>
            <translation>Osaka</translation>
        </message>
        <message>
            <source>失効日</source>
            <translation>Revoked on</translation>
        </message>
        <message>
            <source>奈良県</source>
            <translation>Nara</translation>
        </message>
        <message>
            <source>実施した活動・ニーズ受付・実証実験・自治体支援・マッチングで関わった自治体の数</source>
            <translation>Municipalities involved in activities held, needs received, field trials, municipal support and matchings</translation>
        </message>
        <message>
            <source>実施予定日</source>
            <translation>Planned date</translation>
        </message>
        <message>
            <source>実施回</source>
            <translation>Round</translation>
        </message>
        <message>
            <source>実施日</source>
            <translation>Date held</translation>
        </message>
        <message>
            <source>実施日（終了）</source>
            <translation>Held to</translation>
        </message>
        <message>
            <source>実施日（開始）</source>
            <translation>Held from</translation>
        </message>
        <message>
            <source>実施済</source>
            <translation>Held</translation>
        </message>
        <message>
            <source>実証実験</source>
            <translation>Field trials</translation>
        </message>
        <message>
            <source>実証実験名</source>
            <translation>Field trial name</translation>
        </message>
        <message>
            <source>宮城県</source>
            <translation>Miyagi</translation>
        </message>
        <message>
            <source>宮崎県</source>
            <translation>Miyazaki</translation>
        </message>
        <message>
            <source>富山県</source>
            <translation>Toyama</translation>
        </message>
        <message>
            <source>山口県</source>
            <translation>Yamaguchi</translation>
        </message>
        <message>
            <source>山形県</source>
            <translation>Yamagata</translation>
        </message>
        <message>
            <source>山梨県</source>
            <translation>Yamanashi</translation>
        </message>
        <message>
            <source>岐阜県</source>
            <translation>Gifu</translation>
        </message>
        <message>
            <source>岡山県</source>
            <translation>Okayama</translation>
        </message>
        <message>
            <source>岩手県</source>
            <translation>Iwate</translation>
        </message>
        <message>
            <source>島根県</source>
            <translation>Shimane</translation>
        </message>
        <message>
            <source>市</source>
            <translation>City</translation>
        </message>
        <message>
            <source>市区町村長会議</source>
            <translation>Mayors' Council</translation>
        </message>
        <message>
            <source>市区町村長会議 参画</source>
            <translation>Mayors' Council participation</translation>
        </message>
        <message>
            <source>市区町村長会議における活動実施数</source>
            <translation>Activities at the Mayors' Council</translation>
        </message>
        <message>
            <source>市区町村長会議に参画する市区町村の割合</source>
            <translation>Share of municipalities taking part in the Mayors' Council</translation>
        </message>
        <message>
            <source>市区町村長会議の会議等</source>
            <translation>Mayors' Council meeting</translation>
        </message>
        <message>
            <source>市区町村長会議の会議等での活動数</source>
            <translation>Activities at Mayors' Council meetings</translation>
        </message>
        <message>
            <source>市区町村長会議への参画率</source>
            <translation>Mayors' Council participation rate</translation>
        </message>
        <message>
            <source>市民参画</source>
            <translation>Citizen Participation</translation>
        </message>
        <message>
            <source>市民参画フォーラム</source>
            <translation>Citizen Participation Forum</translation>
        </message>
        <message>
            <source>年度</source>
            <translation>Fiscal year</translation>
        </message>
        <message>
            <source>広報部会</source>
            <translation>Public Relations Committee</translation>
        </message>
        <message>
            <source>広島県</source>
            <translation>Hiroshima</translation>
        </message>
        <message>
            <source>延期</source>
            <translation>Postponed</translation>
        </message>
        <message>
            <source>建築物</source>
            <translation>Buildings</translation>
        </message>
        <message>
            <source>徳島県</source>
            <translation>Tokushima</translation>
        </message>
        <message>
            <source>愛媛県</source>
            <translation>Ehime</translation>
        </message>
        <message>
            <source>愛知県</source>
            <translation>Aichi</translation>
        </message>
        <message>
            <source>成立</source>
            <translation>Established</translation>
        </message>
        <message>
            <source>技術の概要</source>
            <translation>Technology overview</translation>
        </message>
        <message>
            <source>技術テーマ</source>
            <translation>Technology theme</translation>
        </message>
        <message>
            <source>技術名称</source>
            <translation>Technology name</translation>
        </message>
        <message>
            <source>技術者育成</source>
            <translation>Engineer Training</translation>
        </message>
        <message>
            <source>技術者育成フォーラム</source>
            <translation>Engineer Training Forum</translation>
        </message>
        <message>
            <source>担当者連絡先</source>
            <translation>Contact person</translation>
        </message>
        <message>
            <source>支援の種類</source>
            <translation>Type of support</translation>
        </message>
        <message>
            <source>支援国（地域）数</source>
            <translation>Countries (regions) supported</translation>
        </message>
        <message>
            <source>支援活動を行った国・地域の数</source>
            <translation>Countries and regions where support was given</translation>
        </message>
        <message>
            <source>支援自治体数</source>
            <translation>Supported municipalities</translation>
        </message>
        <message>
            <source>新潟県</source>
            <translation>Niigata</translation>
        </message>
        <message>
            <source>施設種別</source>
            <translation>Facility types</translation>
        </message>
        <message>
            <source>日</source>
            <translation>Day</translation>
        </message>
        <message>
            <source>旬</source>
            <translation>Ten-day period</translation>
        </message>
        <message>
            <source>書いてよい組織</source>
            <translation>May write for</translation>
        </message>
        <message>
            <source>月</source>
            <translation>Month</translation>
        </message>
        <message>
            <source>未定</source>
            <translation>TBD</translation>
        </message>
        <message>
            <source>村</source>
            <translation>Village</translation>
        </message>
        <message>
            <source>東京都</source>
            <translation>Tokyo</translation>
        </message>
        <message>
            <source>東北</source>
            <translation>Tohoku</translation>
        </message>
        <message>
            <source>東北フォーラム</source>
            <translation>Tohoku Forum</translation>
        </message>
        <message>
            <source>栃木県</source>
            <translation>Tochigi</translation>
        </message>
        <message>
            <source>検討</source>
            <translation>Considered</translation>
        </message>
        <message>
            <source>検討・成立・現場試行・社会実装の合計</source>
            <translation>Considered + established + field trials + implemented</translation>
        </message>
        <message>
            <source>橋梁</source>
            <translation>Bridges</translation>
        </message>
        <message>
            <source>氏名</source>
            <translation>Name</translation>
        </message>
        <message>
            <source>求める内容・条件</source>
            <translation>Requirements and conditions</translation>
        </message>
        <message>
            <source>沖縄</source>
            <translation>Okinawa</translation>
        </message>
        <message>
            <source>沖縄フォーラム</source>
            <translation>Okinawa Forum</translation>
        </message>
        <message>
            <source>沖縄県</source>
            <translation>Okinawa</translation>
        </message>
        <message>
            <source>河川</source>
            <translation>Rivers</translation>
        </message>
        <message>
            <source>活動・行事</source>
            <translation>Activities &amp; events</translation>
        </message>
        <message>
            <source>活動・行事名</source>
            <translation>Activity/event name</translation>
        </message>
        <message>
            <source>海外市場展開</source>
            <translation>Overseas Market</translation>
        </message>
        <message>
            <source>海外市場展開フォーラム</source>
            <translation>Overseas Market Forum</translation>
        </message>
        <message>
            <source>海岸</source>
            <translation>Coasts</translation>
        </message>
        <message>
            <source>港湾</source>
            <translation>Ports</translation>
        </message>
        <message>
            <source>滋賀県</source>
            <translation>Shiga</translation>
        </message>
        <message>
            <source>熊本県</source>
            <translation>Kumamoto</translation>
        </message>
        <message>
            <source>特別区</source>
            <translation>Special ward</translation>
        </message>
        <message>
            <source>状況</source>
            <translation>Status</translation>
        </message>
        <message>
            <source>現場試行</source>
            <translation>Field trial</translation>
        </message>
        <message>
            <source>現場試行数</source>
            <translation>Field trials</translation>
        </message>
        <message>
            <source>町</source>
            <translation>Town</translation>
        </message>
        <message>
            <source>発表順</source>
            <translation>Order</translation>
        </message>
        <message>
            <source>登録された鍵</source>
            <translation>Registered keys</translation>
        </message>
        <message>
            <source>登録日</source>
            <translation>Registered on</translation>
        </message>
        <message>
            <source>目標値</source>
            <translation>Target value</translation>
        </message>
        <message>
            <source>石川県</source>
            <translation>Ishikawa</translation>
        </message>
        <message>
            <source>砂防</source>
            <translation>Erosion control</translation>
        </message>
        <message>
            <source>確定</source>
            <translation>Confirmed</translation>
        </message>
        <message>
            <source>確定した人</source>
            <translation>Closed by</translation>
        </message>
        <message>
            <source>確定した数値</source>
            <translation>Closed figures</translation>
        </message>
        <message>
            <source>確定した集計</source>
            <translation>Closed tally</translation>
        </message>
        <message>
            <source>確定日時</source>
            <translation>Closed at</translation>
        </message>
        <message>
            <source>社会実装</source>
            <translation>Implemented</translation>
        </message>
        <message>
            <source>社会実装数</source>
            <translation>Implementations</translation>
        </message>
        <message>
            <source>神奈川県</source>
            <translation>Kanagawa</translation>
        </message>
        <message>
            <source>福井県</source>
            <translation>Fukui</translation>
        </message>
        <message>
            <source>福岡県</source>
            <translation>Fukuoka</translation>
        </message>
        <message>
            <source>福島県</source>
            <translation>Fukushima</translation>
        </message>
        <message>
            <source>秋田県</source>
            <translation>Akita</translation>
        </message>
        <message>
            <source>種別</source>
            <translation>Type</translation>
        </message>
        <message>
            <source>空港</source>
            <translation>Airports</translation>
        </message>
        <message>
            <source>結果</source>
            <translation>Result</translation>
        </message>
        <message>
            <source>群馬県</source>
            <translation>Gunma</translation>
        </message>
        <message>
            <source>自治体</source>
            <translation>Municipality</translation>
        </message>
        <message>
            <source>自治体ステータス</source>
            <translation>Municipality status</translation>
        </message>
        <message>
            <source>自治体ニーズ</source>
            <translation>Municipal needs</translation>
        </message>
        <message>
            <source>自治体支援</source>
            <translation>Municipal support</translation>
        </message>
        <message>
            <source>自治体支援フォーラム</source>
            <translation>Municipal Support Forum</translation>
        </message>
        <message>
            <source>自治体訪問・ヒアリング</source>
            <translation>Municipal visit/hearing</translation>
        </message>
        <message>
            <source>茨城県</source>
            <translation>Ibaraki</translation>
        </message>
        <message>
            <source>行政会員</source>
            <translation>Government members</translation>
        </message>
        <message>
            <source>行政会員 加入率</source>
            <translation>Government membership rate</translation>
        </message>
        <message>
            <source>行政会員である市区町村の割合</source>
            <translation>Share of municipalities that are government members</translation>
        </message>
        <message>
            <source>解決</source>
            <translation>Resolved</translation>
        </message>
        <message>
            <source>訪問</source>
            <translation>Visit</translation>
        </message>
        <message>
            <source>講義</source>
            <translation>University lecture</translation>
        </message>
        <message>
            <source>近畿</source>
            <translation>Kinki</translation>
        </message>
        <message>
            <source>近畿フォーラム</source>
            <translation>Kinki Forum</translation>
        </message>
        <message>
            <source>進捗段階</source>
            <translation>Progress stage</translation>
        </message>
        <message>
            <source>運営会議</source>
            <translation>Steering meeting</translation>
        </message>
        <message>
            <source>道路</source>
            <translation>Roads</translation>
        </message>
        <message>
            <source>部会・会議</source>
            <translation>Committees and councils</translation>
        </message>
        <message>
            <source>部署</source>
            <translation>Department</translation>
        </message>
        <message>
            <source>都道府県</source>
            <translation>Prefecture</translation>
        </message>
        <message>
            <source>長崎県</source>
            <translation>Nagasaki</translation>
        </message>
        <message>
            <source>長野県</source>
            <translation>Nagano</translation>
        </message>
        <message>
            <source>開催予定日</source>
            <translation>Planned date</translation>
        </message>
        <message>
            <source>開催回</source>
            <translation>Edition</translation>
        </message>
        <message>
            <source>関東</source>
            <translation>Kanto</translation>
        </message>
        <message>
            <source>関東フォーラム</source>
            <translation>Kanto Forum</translation>
        </message>
        <message>
            <source>電話番号</source>
            <translation>Phone</translation>
        </message>
        <message>
            <source>青森県</source>
            <translation>Aomori</translation>
        </message>
        <message>
            <source>静岡県</source>
            <translation>Shizuoka</translation>
        </message>
        <message>
            <source>革新的技術</source>
            <translation>Innovative Technology</translation>
        </message>
        <message>
            <source>革新的技術フォーラム</source>
            <translation>Innovative Technology Forum</translation>
        </message>
        <message>
            <source>香川県</source>
            <translation>Kagawa</translation>
        </message>
        <message>
            <source>高知県</source>
            <translation>Kochi</translation>
        </message>
        <message>
            <source>鳥取県</source>
            <translation>Tottori</translation>
        </message>
        <message>
            <source>鹿児島県</source>
            <translation>Kagoshima</translation>
        </message>
    </context>
</TS>
