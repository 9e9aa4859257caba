; The per-user Windows installer of 继续教育学时初审 (jxjy-review), built by
; scripts/build-windows.sh with Debian's NSIS:
;   makensis -INPUTCHARSET UTF8 -DVERSION=x.y.z -DSRCDIR=<folder of the .exe files> \
;            -DOUTFILE=<installer path> scripts/windows/installer.nsi
;
; Why a script of our own and not the Tauri bundler's: the bundler downloads NSIS plugins and
; the WebView2 bootstrapper from outside the package registries at bundle time.
;
; Per user: no administrator rights (office PCs are locked down). Program files go to
; %LOCALAPPDATA%\Programs\jxjy-review, the Start-menu entry and the uninstaller's registration
; to the current user's part of the registry. The uninstaller never touches the data folder
; (%LOCALAPPDATA%\jxjy-review): unsynced decisions survive an uninstall and a reinstall.

; A 64-bit installer (the app is x64 only): it runs where the app runs, reads the 64-bit
; registry without redirection, and runs under a 64-bit-only Wine prefix in CI.
Target amd64-unicode
ManifestDPIAware true
RequestExecutionLevel user
SetCompressor /SOLID lzma

!ifndef VERSION
  !error "pass -DVERSION=x.y.z"
!endif
!ifndef SRCDIR
  !error "pass -DSRCDIR=<folder holding jxjy-review.exe, jxjy.exe and WebView2Loader.dll>"
!endif
!ifndef OUTFILE
  !define OUTFILE "jxjy-review_${VERSION}_x64-setup.exe"
!endif

!define PRODUCT "继续教育学时初审"
!define APPKEY "jxjy-review"
!define UNINSTKEY "Software\Microsoft\Windows\CurrentVersion\Uninstall\${APPKEY}"
; The Evergreen WebView2 runtime's client id (the same for every channel-less install).
!define WEBVIEW2_ID "{F3017226-FE2A-4295-8BDF-00C3A9A7E4C5}"

!include "MUI2.nsh"
!include "LogicLib.nsh"
!include "WinVer.nsh"
!include "x64.nsh"
!include "FileFunc.nsh"

Name "${PRODUCT}"
OutFile "${OUTFILE}"
InstallDir "$LOCALAPPDATA\Programs\${APPKEY}"
InstallDirRegKey HKCU "Software\${APPKEY}" "InstallDir"
BrandingText "${PRODUCT} ${VERSION}"

VIProductVersion "${VERSION}.0"
VIAddVersionKey /LANG=2052 "ProductName" "${PRODUCT}"
VIAddVersionKey /LANG=2052 "FileDescription" "${PRODUCT} 安装程序"
VIAddVersionKey /LANG=2052 "FileVersion" "${VERSION}"
VIAddVersionKey /LANG=2052 "ProductVersion" "${VERSION}"
VIAddVersionKey /LANG=2052 "LegalCopyright" "MIT License"

!define MUI_ICON "${SRCDIR}/icon.ico"
!define MUI_UNICON "${SRCDIR}/icon.ico"
!define MUI_ABORTWARNING
!define MUI_FINISHPAGE_RUN "$INSTDIR\jxjy-review.exe"
!define MUI_FINISHPAGE_RUN_TEXT "启动${PRODUCT}"

!insertmacro MUI_PAGE_WELCOME
!insertmacro MUI_PAGE_DIRECTORY
!insertmacro MUI_PAGE_INSTFILES
!insertmacro MUI_PAGE_FINISH
!insertmacro MUI_UNPAGE_CONFIRM
!insertmacro MUI_UNPAGE_INSTFILES
!insertmacro MUI_LANGUAGE "SimpChinese"

; Is the WebView2 runtime there? Per machine (64-bit view, or the 32-bit one on old
; installs) or per user; a version of 0.0.0.0 means it was removed.
Function HasWebView2
  Push $0
  SetRegView 64
  ReadRegStr $0 HKLM "SOFTWARE\WOW6432Node\Microsoft\EdgeUpdate\Clients\${WEBVIEW2_ID}" "pv"
  ${If} $0 == ""
  ${OrIf} $0 == "0.0.0.0"
    ReadRegStr $0 HKLM "SOFTWARE\Microsoft\EdgeUpdate\Clients\${WEBVIEW2_ID}" "pv"
  ${EndIf}
  ${If} $0 == ""
  ${OrIf} $0 == "0.0.0.0"
    ReadRegStr $0 HKCU "Software\Microsoft\EdgeUpdate\Clients\${WEBVIEW2_ID}" "pv"
  ${EndIf}
  SetRegView lastused
  ${If} $0 == "0.0.0.0"
    StrCpy $0 ""
  ${EndIf}
  Exch $0
FunctionEnd

Function .onInit
  ${IfNot} ${RunningX64}
    MessageBox MB_ICONSTOP|MB_OK "本程序只支持 64 位 Windows 10（1809 版及以上）和 Windows 11。" /SD IDOK
    Abort
  ${EndIf}
  ${IfNot} ${AtLeastWin10}
  ${OrIfNot} ${AtLeastBuild} 17763
    MessageBox MB_ICONSTOP|MB_OK "本程序需要 Windows 10（1809 版及以上）或 Windows 11。$\r$\nWindows 7 和 Windows 8 不能运行 Microsoft Edge WebView2，因而不受支持。" /SD IDOK
    Abort
  ${EndIf}
  Call HasWebView2
  Pop $0
  ${If} $0 == ""
    MessageBox MB_ICONEXCLAMATION|MB_YESNO "未检测到 Microsoft Edge WebView2 运行时，没有它本程序无法显示界面。$\r$\n$\r$\nWindows 11 和已更新的 Windows 10 自带此组件。请联系单位的信息管理员安装“Microsoft Edge WebView2 运行时（常青版）”，或从微软官方网站下载安装，然后再启动本程序。$\r$\n$\r$\n现在仍继续安装吗？" /SD IDYES IDYES +2
    Abort
  ${EndIf}
FunctionEnd

Section "install"
  SetShellVarContext current
  SetOutPath "$INSTDIR"
  File "${SRCDIR}/jxjy-review.exe"
  File "${SRCDIR}/jxjy.exe"
  File "${SRCDIR}/WebView2Loader.dll"
  File "${SRCDIR}/icon.ico"
  ; The OCR models the background reader of certificates uses (PP-OCRv4, Apache-2.0).
  SetOutPath "$INSTDIR\ocr-models"
  File "${SRCDIR}/ocr-models/ch_PP-OCRv4_det_infer.onnx"
  File "${SRCDIR}/ocr-models/ch_PP-OCRv4_rec_infer.onnx"
  SetOutPath "$INSTDIR"
  WriteUninstaller "$INSTDIR\uninstall.exe"

  CreateDirectory "$SMPROGRAMS\${PRODUCT}"
  CreateShortcut "$SMPROGRAMS\${PRODUCT}\${PRODUCT}.lnk" "$INSTDIR\jxjy-review.exe" "" "$INSTDIR\icon.ico"
  CreateShortcut "$SMPROGRAMS\${PRODUCT}\卸载${PRODUCT}.lnk" "$INSTDIR\uninstall.exe"

  WriteRegStr HKCU "Software\${APPKEY}" "InstallDir" "$INSTDIR"
  WriteRegStr HKCU "${UNINSTKEY}" "DisplayName" "${PRODUCT}"
  WriteRegStr HKCU "${UNINSTKEY}" "DisplayVersion" "${VERSION}"
  WriteRegStr HKCU "${UNINSTKEY}" "DisplayIcon" "$INSTDIR\icon.ico"
  WriteRegStr HKCU "${UNINSTKEY}" "Publisher" "jxjy-review developers"
  WriteRegStr HKCU "${UNINSTKEY}" "InstallLocation" "$INSTDIR"
  WriteRegStr HKCU "${UNINSTKEY}" "UninstallString" '"$INSTDIR\uninstall.exe"'
  WriteRegStr HKCU "${UNINSTKEY}" "QuietUninstallString" '"$INSTDIR\uninstall.exe" /S'
  WriteRegDWORD HKCU "${UNINSTKEY}" "NoModify" 1
  WriteRegDWORD HKCU "${UNINSTKEY}" "NoRepair" 1
  ${GetSize} "$INSTDIR" "/S=0K" $0 $1 $2
  IntFmt $0 "0x%08X" $0
  WriteRegDWORD HKCU "${UNINSTKEY}" "EstimatedSize" "$0"
SectionEnd

; Removes the program, its shortcuts and its registration — never the data folder.
Section "uninstall"
  SetShellVarContext current
  Delete "$INSTDIR\jxjy-review.exe"
  Delete "$INSTDIR\jxjy.exe"
  Delete "$INSTDIR\WebView2Loader.dll"
  Delete "$INSTDIR\icon.ico"
  Delete "$INSTDIR\ocr-models\ch_PP-OCRv4_det_infer.onnx"
  Delete "$INSTDIR\ocr-models\ch_PP-OCRv4_rec_infer.onnx"
  RMDir "$INSTDIR\ocr-models"
  Delete "$INSTDIR\uninstall.exe"
  RMDir "$INSTDIR"
  Delete "$SMPROGRAMS\${PRODUCT}\${PRODUCT}.lnk"
  Delete "$SMPROGRAMS\${PRODUCT}\卸载${PRODUCT}.lnk"
  RMDir "$SMPROGRAMS\${PRODUCT}"
  DeleteRegKey HKCU "${UNINSTKEY}"
  DeleteRegKey HKCU "Software\${APPKEY}"
  MessageBox MB_ICONINFORMATION|MB_OK "程序已卸载。审核数据（含尚未同步的审核决定）仍保存在$\r$\n$LOCALAPPDATA\${APPKEY}$\r$\n重新安装后即可继续使用；确认全部同步后，如需彻底清除，可手动删除该文件夹。" /SD IDOK
SectionEnd
