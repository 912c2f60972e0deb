#Requires -Version 5.1
<#
.SYNOPSIS
    Builds the Secrets module into out/Secrets and, with -Test, runs every test suite.

.DESCRIPTION
    A thin wrapper over the same commands CI runs:

      1. dotnet build Secrets.sln -c <Configuration>
         Builds the core, the cmdlets, the runner, the tests and the benchmarks, and stages the
         loadable module in out/Secrets (Secrets.psd1, Secrets.dll, dependencies/).
      2. With -Test: dotnet test Secrets.sln -c <Configuration> --no-build
         The xunit suites (core and the module hosted on the PowerShell engine).
      3. With -Test: the Pester 5 suite in tests/*.Tests.ps1, run against the BUILT module in
         out/Secrets, in a new non-interactive process of the PowerShell running this script
         (so the module's DLL is never loaded into your own session, and nothing prompts).

    Works on Windows PowerShell 5.1 and on PowerShell 7. Needs the .NET SDK named in global.json
    on PATH, and for -Test, Pester 5 or later.

.PARAMETER Configuration
    Debug (the default) or Release.

.PARAMETER Clean
    Removes out/ and every bin/ and obj/ folder of the solution before building.

.PARAMETER Test
    After building, runs dotnet test and then the Pester suite. The script fails if either fails.

.EXAMPLE
    ./build.ps1
    Builds the Debug module into out/Secrets.

.EXAMPLE
    ./build.ps1 -Configuration Release -Clean -Test
    Rebuilds everything in Release from scratch and runs every test suite.

.EXAMPLE
    Import-Module ./out/Secrets/Secrets.psd1
    Uses the module just built (in a new session if an older build is already loaded).
#>
[CmdletBinding()]
param(
    [ValidateSet('Debug', 'Release')]
    [string] $Configuration = 'Debug',

    [switch] $Clean,

    [switch] $Test
)

$ErrorActionPreference = 'Stop'
Set-StrictMode -Version 2.0

$root = $PSScriptRoot
$solution = Join-Path $root 'Secrets.sln'
$moduleManifest = Join-Path (Join-Path (Join-Path $root 'out') 'Secrets') 'Secrets.psd1'
$minimumPester = [version]'5.0.0'

function Invoke-Native {
    # Runs a native command and stops the build when it fails.
    param([string] $FilePath, [string[]] $ArgumentList)
    Write-Host "> $FilePath $($ArgumentList -join ' ')" -ForegroundColor Cyan
    & $FilePath @ArgumentList
    if ($LASTEXITCODE -ne 0) {
        throw "'$FilePath $($ArgumentList -join ' ')' failed with exit code $LASTEXITCODE."
    }
}

if (-not (Get-Command dotnet -ErrorAction SilentlyContinue)) {
    throw 'The .NET SDK (dotnet) is not on PATH. Install the SDK version named in global.json.'
}

if ($Clean) {
    $targets = @(Join-Path $root 'out')
    foreach ($folder in 'src', 'tests', 'bench') {
        $path = Join-Path $root $folder
        if (Test-Path -LiteralPath $path) {
            $targets += Get-ChildItem -LiteralPath $path -Directory -Recurse -Force |
                Where-Object { $_.Name -eq 'bin' -or $_.Name -eq 'obj' } |
                ForEach-Object { $_.FullName }
        }
    }

    foreach ($target in $targets) {
        if (Test-Path -LiteralPath $target) {
            Write-Host "Removing $target"
            Remove-Item -LiteralPath $target -Recurse -Force
        }
    }
}

Invoke-Native dotnet @('build', $solution, '--configuration', $Configuration, '--nologo')

if (-not (Test-Path -LiteralPath $moduleManifest)) {
    throw "The build did not produce the module manifest '$moduleManifest'."
}

Write-Host "Secrets module: $(Split-Path -Parent $moduleManifest)" -ForegroundColor Green

if (-not $Test) {
    return
}

Invoke-Native dotnet @('test', $solution, '--configuration', $Configuration, '--no-build', '--nologo')

$pester = Get-Module -ListAvailable -Name Pester |
    Where-Object { $_.Version -ge $minimumPester } |
    Sort-Object Version -Descending |
    Select-Object -First 1
if (-not $pester) {
    $found = @(Get-Module -ListAvailable -Name Pester | ForEach-Object { $_.Version.ToString() })
    $have = if ($found.Count -gt 0) { "Only Pester $($found -join ', ') is installed." } else { 'Pester is not installed.' }
    Write-Host "The Pester suite needs Pester $minimumPester or later. $have Install it with:" -ForegroundColor Red
    Write-Host '    Install-Module Pester -MinimumVersion 5.0 -Scope CurrentUser'
    Write-Host '(on Windows PowerShell 5.1, whose built-in Pester 3 is signed differently, add -Force -SkipPublisherCheck)'
    Write-Host 'then run ./build.ps1 -Test again. The dotnet test suites above have passed.'
    throw "Pester $minimumPester or later is required for -Test (see above)."
}

# A new process of the same PowerShell: the module DLL is not locked in this session afterwards,
# and -NonInteractive makes the cmdlets report errors instead of prompting for passphrases.
$powershell = (Get-Process -Id $PID).Path
$testsFolder = Join-Path $root 'tests'
$runner = @'
param($PesterPath, $TestsFolder, $ModuleManifest)
$ErrorActionPreference = 'Stop'
Import-Module -Name $PesterPath -Force
$env:SECRETS_TEST_MODULE = $ModuleManifest
$configuration = New-PesterConfiguration
$configuration.Run.Path = $TestsFolder
$configuration.Run.PassThru = $true
$configuration.Output.Verbosity = 'Detailed'
$result = Invoke-Pester -Configuration $configuration
"$($result.PassedCount) passed, $($result.FailedCount) failed, $($result.SkippedCount) skipped"
if ($result.Result -ne 'Passed') { exit 1 }
exit 0
'@
$runnerFile = Join-Path ([System.IO.Path]::GetTempPath()) ("secrets-pester-{0}.ps1" -f [guid]::NewGuid().ToString('N'))
Set-Content -LiteralPath $runnerFile -Value $runner -Encoding UTF8
try {
    Write-Host "> Pester $($pester.Version) on $powershell ($($PSVersionTable.PSVersion)): $testsFolder" -ForegroundColor Cyan
    & $powershell -NoProfile -NonInteractive -ExecutionPolicy Bypass -File $runnerFile `
        -PesterPath $pester.Path -TestsFolder $testsFolder -ModuleManifest $moduleManifest
    if ($LASTEXITCODE -ne 0) {
        throw "The Pester suite failed (exit code $LASTEXITCODE)."
    }
}
finally {
    Remove-Item -LiteralPath $runnerFile -Force -ErrorAction SilentlyContinue
}
