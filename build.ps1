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
         Every suite: the core tests, the module hosted on the PowerShell engine, and the Pester
         suite (tests/*.Tests.ps1) on the PowerShell of the repository's tool manifest
         (dotnet pwsh, restored by the build) with Pester from its NuGet package.

    Works on Windows PowerShell 5.1 and on PowerShell 7. Needs only the .NET SDK named in
    global.json on PATH. Progress goes to the information stream (shown by default; -InformationAction
    SilentlyContinue hides it).

.PARAMETER Configuration
    Debug (the default) or Release.

.PARAMETER Clean
    Removes out/ and every bin/ and obj/ folder of the solution before building.

.PARAMETER Test
    After building, runs every test suite (dotnet test). The script fails if a test fails.

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
$InformationPreference = if ($PSBoundParameters.ContainsKey('InformationAction')) { $InformationPreference } else { 'Continue' }
Set-StrictMode -Version 2.0

$root = $PSScriptRoot
$solution = Join-Path $root 'Secrets.sln'
$moduleManifest = Join-Path (Join-Path (Join-Path $root 'out') 'Secrets') 'Secrets.psd1'

function Invoke-Native {
    # Runs a native command and stops the build when it fails.
    param([string] $FilePath, [string[]] $ArgumentList)
    Write-Information "> $FilePath $($ArgumentList -join ' ')"
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
    foreach ($folder in 'src', 'tests', 'bench', 'tools') {
        $path = Join-Path $root $folder
        if (Test-Path -LiteralPath $path) {
            $targets += Get-ChildItem -LiteralPath $path -Directory -Recurse -Force |
                Where-Object { $_.Name -eq 'bin' -or $_.Name -eq 'obj' } |
                ForEach-Object { $_.FullName }
        }
    }

    foreach ($target in $targets) {
        if (Test-Path -LiteralPath $target) {
            Write-Information "Removing $target"
            Remove-Item -LiteralPath $target -Recurse -Force
        }
    }
}

Invoke-Native dotnet @('build', $solution, '--configuration', $Configuration, '--nologo')

if (-not (Test-Path -LiteralPath $moduleManifest)) {
    throw "The build did not produce the module manifest '$moduleManifest'."
}

Write-Information "Secrets module: $(Split-Path -Parent $moduleManifest)"

if ($Test) {
    Invoke-Native dotnet @('test', $solution, '--configuration', $Configuration, '--no-build', '--nologo')
}
