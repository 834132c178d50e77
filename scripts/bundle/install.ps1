# Cài gialai-remote từ thư mục này, không cần mạng (PowerShell 5.1 hoặc 7).
# Install gialai-remote from this folder, with no network (Windows PowerShell 5.1 or PowerShell 7).
#
#   powershell -ExecutionPolicy Bypass -File install.ps1 [-Target FOLDER] [-Python C:\path\python.exe]
#
# Finds a Python 3.10-3.13 that this bundle has wheels for (the py launcher's 3.13, 3.12,
# 3.11, 3.10, then python on PATH), then runs install.py with it, which does the work and
# says where the command is. Written for Windows PowerShell 5.1: no "&&", no "??"; saved as
# UTF-8 with a BOM, which 5.1 needs to read the Vietnamese text.
param(
    [string] $Target = "",
    [string] $Python = ""
)
$ErrorActionPreference = "Stop"
$installer = Join-Path $PSScriptRoot "install.py"
$passOn = @()
if ($Target -ne "") { $passOn = @($Target) }

function Test-Python([string] $exe, [string[]] $prefix) {
    # True when this Python can be installed into (install.py --check exits 0). Errors are
    # not fatal here: Windows PowerShell 5.1 turns a redirected stderr line into an error.
    $ErrorActionPreference = "Continue"
    try {
        & $exe @prefix $installer --check *> $null
        return ($LASTEXITCODE -eq 0)
    } catch {
        return $false
    }
}

# Each candidate: the program, and the arguments that come before the script.
$candidates = @()
if ($Python -ne "") {
    $candidates += @{ Exe = $Python; Prefix = @() }
} else {
    if (Get-Command py -ErrorAction SilentlyContinue) {
        foreach ($version in "3.13", "3.12", "3.11", "3.10") {
            $candidates += @{ Exe = "py"; Prefix = @("-$version") }
        }
    }
    # "python" may be the Microsoft Store's placeholder, which installs nothing: --check fails then.
    if (Get-Command python -ErrorAction SilentlyContinue) {
        $candidates += @{ Exe = "python"; Prefix = @() }
    }
}

foreach ($candidate in $candidates) {
    $exe = [string] $candidate.Exe
    $prefix = [string[]] $candidate.Prefix
    if (Test-Python $exe $prefix) {
        & $exe @prefix $installer @passOn
        exit $LASTEXITCODE
    }
}

if ($Python -ne "") {
    # The Python given does not fit: install.py says which builds this folder has.
    & $Python $installer @passOn
    exit 1
}
Write-Host "Không tìm thấy Python 3.10 - 3.13 phù hợp với bộ cài này (xem README.txt)."
Write-Host "Hãy cài Python từ python.org (bản Windows installer 64-bit), rồi chạy lại install.ps1."
Write-Host ""
Write-Host "No Python 3.10 - 3.13 that this bundle fits was found (see README.txt)."
Write-Host "Install Python from python.org (Windows installer, 64-bit), then run install.ps1 again."
exit 1
