@echo off
rem Install gialai-remote from this folder, with no network (Command Prompt).
rem   install.cmd [FOLDER]
rem Finds a Python 3.10-3.13 that this bundle has wheels for (the py launcher's 3.13, 3.12,
rem 3.11, 3.10, then python on PATH; set GIALAI_PYTHON to the full path of python.exe to
rem choose one), then runs install.py with it, which does the work and says where the
rem command is. Opened by a double click, the window waits for a key at the end (set
rem GIALAI_NO_PAUSE=1 to skip that). This file is ASCII only: cmd.exe reads batch files in
rem the OEM code page.
setlocal
set "HERE=%~dp0"
set "INSTALLER=%HERE%install.py"
set "CODE=1"

if not defined GIALAI_PYTHON goto :find
"%GIALAI_PYTHON%" "%INSTALLER%" --check >nul 2>&1
if errorlevel 1 goto :wrong_python
"%GIALAI_PYTHON%" "%INSTALLER%" %*
set "CODE=%ERRORLEVEL%"
goto :end

:wrong_python
rem --check failed: install.py then stops at its own check and says which builds it has.
"%GIALAI_PYTHON%" "%INSTALLER%"
set "CODE=1"
goto :end

:find
where py >nul 2>&1
if errorlevel 1 goto :path_python
for %%V in (3.13 3.12 3.11 3.10) do (
    py -%%V "%INSTALLER%" --check >nul 2>&1 && (
        set "PYV=%%V"
        goto :launcher
    )
)
goto :path_python

:launcher
py -%PYV% "%INSTALLER%" %*
set "CODE=%ERRORLEVEL%"
goto :end

:path_python
rem "python" may be the Microsoft Store's placeholder, which installs nothing: --check fails then.
python "%INSTALLER%" --check >nul 2>&1
if errorlevel 1 goto :no_python
python "%INSTALLER%" %*
set "CODE=%ERRORLEVEL%"
goto :end

:no_python
echo Khong tim thay Python 3.10 - 3.13 phu hop voi bo cai nay (xem README.txt).
echo Hay cai Python tu python.org (ban Windows installer 64-bit), roi chay lai install.cmd.
echo.
echo No Python 3.10 - 3.13 that this bundle fits was found (see README.txt).
echo Install Python from python.org (Windows installer, 64-bit), then run install.cmd again.
set "CODE=1"
goto :end

:end
rem Started by a double click, cmd.exe runs "cmd.exe /c ...install.cmd": keep the window open.
set "CMDLINE=%CMDCMDLINE:"=%"
if defined GIALAI_NO_PAUSE goto :quit
if /i not "%CMDLINE: /c =%"=="%CMDLINE%" pause
:quit
exit /b %CODE%
