#Requires -Version 5.1
<#
.SYNOPSIS
    Runs the Pester suite (tests/*.Tests.ps1) against the built module.

.DESCRIPTION
    The one way the Pester suite is run: by `dotnet test` (tests/Secrets.Pester.Tests runs this
    script on the PowerShell of the repository's tool manifest, `dotnet pwsh`), by ./build.ps1 -Test,
    and by hand. It imports Pester from -PesterPath (the Pester package restored by `dotnet test`,
    or any Pester 5), points the suites at the built module and writes a summary of every test to
    -ResultPath as JSON. The exit code is 0 when no test failed.

.PARAMETER Path
    The test files to run; default every *.Tests.ps1 file next to this script.

.PARAMETER PesterPath
    Pester's module manifest or folder; default the newest Pester 5 or later that is installed.

.PARAMETER ModuleManifest
    The built module to test; default out/Secrets/Secrets.psd1.

.PARAMETER ResultPath
    Where to write the JSON summary: one object per test with Path, Result and Message.

.EXAMPLE
    dotnet pwsh -NoProfile -File tests/Invoke-SecretsPester.ps1 -Path tests/Store.Tests.ps1
#>
[CmdletBinding()]
param(
    [string[]] $Path,
    [string] $PesterPath,
    [string] $ModuleManifest,
    [string] $ResultPath
)

$ErrorActionPreference = 'Stop'
Set-StrictMode -Version 2.0

if (-not $Path) {
    $Path = @(Get-ChildItem -LiteralPath $PSScriptRoot -Filter '*.Tests.ps1' | ForEach-Object { $_.FullName })
}

if (-not $ModuleManifest) {
    $ModuleManifest = [System.IO.Path]::Combine($PSScriptRoot, '..', 'out', 'Secrets', 'Secrets.psd1')
}

$ModuleManifest = [System.IO.Path]::GetFullPath($ModuleManifest)
if (-not (Test-Path -LiteralPath $ModuleManifest -PathType Leaf)) {
    throw "The built module '$ModuleManifest' does not exist. Build it first: dotnet build."
}

if ($PesterPath) {
    Import-Module -Name $PesterPath -Force
}
else {
    $installed = Get-Module -ListAvailable -Name Pester | Where-Object { $_.Version -ge [version]'5.0.0' } |
        Sort-Object Version -Descending | Select-Object -First 1
    if (-not $installed) {
        throw 'Pester 5 or later is not installed. Run the suite with dotnet test, which fetches Pester, or give -PesterPath.'
    }

    Import-Module -Name $installed.Path -Force
}

$env:SECRETS_TEST_MODULE = $ModuleManifest
$configuration = New-PesterConfiguration
$configuration.Run.Path = $Path
$configuration.Run.PassThru = $true
$configuration.Output.Verbosity = 'Detailed'
$result = Invoke-Pester -Configuration $configuration

function Get-TestMessage($test) {
    # Failures: every error with where it was raised. Skips: the reason given to Set-ItResult or -Skip.
    $lines = foreach ($record in @($test.ErrorRecord)) {
        if ($null -eq $record) { continue }
        $record.Exception.Message
        # Where it happened in the suite, not inside Pester.
        @("$($record.ScriptStackTrace)" -split "`r?`n" | Where-Object { $_ -and $_ -notmatch 'Pester\.psm1' }) -join [Environment]::NewLine
    }

    ($lines -join [Environment]::NewLine)
}

$summary = @(foreach ($test in $result.Tests) {
    [ordered]@{
        Path    = ($test.ExpandedPath)
        File    = $test.ScriptBlock.File
        Result  = "$($test.Result)"
        Message = Get-TestMessage $test
    }
})

# Failures outside a test count too: a BeforeAll that throws, a file that does not parse.
foreach ($block in @($result.FailedBlocks)) {
    $summary += [ordered]@{ Path = $block.ExpandedPath; File = $block.BlockContainer.Item; Result = 'Failed'; Message = Get-TestMessage $block }
}

foreach ($container in @($result.FailedContainers)) {
    $summary += [ordered]@{ Path = "$($container.Item)"; File = "$($container.Item)"; Result = 'Failed'; Message = Get-TestMessage $container }
}

if ($ResultPath) {
    ConvertTo-Json -InputObject $summary -Depth 4 | Set-Content -LiteralPath $ResultPath -Encoding UTF8
}

"$($result.PassedCount) passed, $($result.FailedCount) failed, $($result.SkippedCount) skipped"
if ($result.Result -ne 'Passed') {
    exit 1
}

exit 0
