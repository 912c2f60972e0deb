# Helpers shared by the Pester suites in this folder. They run on Windows PowerShell 5.1 and on
# PowerShell 7. Every suite imports the BUILT module (out/Secrets/Secrets.psd1, or the manifest
# named by $env:SECRETS_TEST_MODULE), never the sources, and works in a private Secrets home.

Set-StrictMode -Version 2.0

$script:Variables = 'SECRETS_HOME', 'SECRETS_IDENTITY', 'SECRETS_STORE'

function Get-SecretsTestModulePath {
    <# The manifest of the built module; fails with the command to run when it is missing. #>
    $path = $env:SECRETS_TEST_MODULE
    if ([string]::IsNullOrEmpty($path)) {
        $path = [System.IO.Path]::Combine($PSScriptRoot, '..', 'out', 'Secrets', 'Secrets.psd1')
    }

    $path = [System.IO.Path]::GetFullPath($path)
    if (-not (Test-Path -LiteralPath $path)) {
        throw "The built module '$path' does not exist. Build it first: ./build.ps1 (or dotnet build)."
    }

    $path
}

function Enter-SecretsTestHome {
    <#
        Points Secrets at a new, empty home under -Path (SECRETS_HOME), clears SECRETS_IDENTITY and
        SECRETS_STORE, and returns what to give Exit-SecretsTestHome to put everything back.
    #>
    param([Parameter(Mandatory)] [string] $Path)

    $saved = @{}
    foreach ($name in $script:Variables) {
        $saved[$name] = [Environment]::GetEnvironmentVariable($name)
        [Environment]::SetEnvironmentVariable($name, $null)
    }

    $null = New-Item -ItemType Directory -Path $Path -Force
    [Environment]::SetEnvironmentVariable('SECRETS_HOME', $Path)
    $saved
}

function Exit-SecretsTestHome {
    <# Locks every identity of this process and restores the environment Enter-SecretsTestHome saved. #>
    param([hashtable] $Saved)

    if (Get-Command Lock-SecretIdentity -ErrorAction SilentlyContinue) {
        Lock-SecretIdentity -All
    }

    if ($null -ne $Saved) {
        foreach ($name in $script:Variables) {
            [Environment]::SetEnvironmentVariable($name, $Saved[$name])
        }
    }
}

function ConvertTo-TestSecureString {
    <# A SecureString from test text (never a real secret). #>
    param([Parameter(Mandatory)] [AllowEmptyString()] [string] $Text)
    ConvertTo-SecureString -String $Text -AsPlainText -Force
}

function ConvertFrom-TestSecureString {
    <# The plain text of a SecureString, for assertions. #>
    param([Parameter(Mandatory)] [System.Security.SecureString] $SecureString)
    (New-Object System.Net.NetworkCredential -ArgumentList '', $SecureString).Password
}

function Get-SecretsTestPowerShell {
    <#
        How to start a new process of the PowerShell running the tests, whichever way it was
        installed: FilePath and the Arguments that come before PowerShell's own.
          - pwsh or powershell.exe (an installer, a package, Windows PowerShell 5.1): that program.
          - a .NET tool (dotnet pwsh, dotnet tool run pwsh): the process is dotnet; run dotnet with
            the pwsh.dll it runs.
          - any other host (an editor, an application hosting the engine): the pwsh or
            powershell.exe in $PSHOME, else dotnet with the pwsh.dll there.
    #>
    $process = (Get-Process -Id $PID).Path
    $name = [System.IO.Path]::GetFileNameWithoutExtension($process)
    if ($name -eq 'pwsh' -or $name -eq 'powershell') {
        return [pscustomobject]@{ FilePath = $process; Arguments = @() }
    }

    $entry = [System.Reflection.Assembly]::GetEntryAssembly()
    if ($name -eq 'dotnet' -and $null -ne $entry -and [System.IO.Path]::GetFileName($entry.Location) -eq 'pwsh.dll') {
        return [pscustomobject]@{ FilePath = $process; Arguments = @($entry.Location) }
    }

    foreach ($candidate in 'pwsh.exe', 'pwsh', 'powershell.exe') {
        $path = Join-Path $PSHOME $candidate
        if (Test-Path -LiteralPath $path -PathType Leaf) {
            return [pscustomobject]@{ FilePath = $path; Arguments = @() }
        }
    }

    $dll = Join-Path $PSHOME 'pwsh.dll'
    $dotnet = Get-Command dotnet -CommandType Application -ErrorAction SilentlyContinue | Select-Object -First 1
    if ((Test-Path -LiteralPath $dll -PathType Leaf) -and $null -ne $dotnet) {
        return [pscustomobject]@{ FilePath = $dotnet.Source; Arguments = @($dll) }
    }

    throw "Cannot tell how to start PowerShell from this process ('$process', PSHOME '$PSHOME')."
}

function Invoke-SecretsNonInteractive {
    <#
        Runs a script in a new, non-interactive process of the PowerShell running the tests, with
        the built module imported and the same Secrets environment. It is how an unattended job
        sees Secrets: an identity unlocked in this process is locked there, and nothing prompts.
        The script's output comes back as text lines.
    #>
    param([Parameter(Mandatory)] [string] $Script)

    $powershell = Get-SecretsTestPowerShell
    $module = Get-SecretsTestModulePath
    $wrapped = "`$ErrorActionPreference = 'Stop'; `$ProgressPreference = 'SilentlyContinue'; Import-Module -Name '$($module.Replace("'", "''"))'`n$Script"
    $encoded = [Convert]::ToBase64String([System.Text.Encoding]::Unicode.GetBytes($wrapped))
    $arguments = @($powershell.Arguments) + @('-NoProfile', '-NonInteractive', '-OutputFormat', 'Text', '-EncodedCommand', $encoded)
    $output = & $powershell.FilePath @arguments 2>&1
    @($output | ForEach-Object { "$_" })
}

Export-ModuleMember -Function Get-SecretsTestModulePath, Get-SecretsTestPowerShell, Enter-SecretsTestHome, Exit-SecretsTestHome,
    ConvertTo-TestSecureString, ConvertFrom-TestSecureString, Invoke-SecretsNonInteractive
