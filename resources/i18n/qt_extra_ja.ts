<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="ja_JP" sourcelanguage="en">
<!-- Qt's own texts that Qt's Japanese catalogue (qtbase_ja) lacks in this Qt version: loaded
     after it by jcim_desktop/ui/language.py, compiled by resources/i18n/update.py. -->
<context>
    <name>QFileDialog</name>
    <message><source>&amp;Look in:</source><translation>場所(&amp;L):</translation></message>
    <message><source>Files of &amp;type:</source><translation>ファイルの種類(&amp;T):</translation></message>
</context>
<context>
    <name>QAbstractFileIconProvider</name>
    <message><source>Folder</source><translation>フォルダ</translation></message>
    <message><source>Drive</source><translation>ドライブ</translation></message>
    <message><source>File</source><translation>ファイル</translation></message>
</context>
<context>
    <name>QFileSystemModel</name>
    <message><source>Folder</source><translation>フォルダ</translation></message>
    <message><source>Drive</source><translation>ドライブ</translation></message>
</context>
</TS>
