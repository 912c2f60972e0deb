# The module as a user meets it in a real PowerShell: the manifest, help, online links, and a
# program's standard error where PowerShell puts a native command's.

Describe 'The Secrets module' {
    BeforeAll {
        Import-Module (Join-Path $PSScriptRoot 'Secrets.TestHelpers.psm1') -Force
        Import-Module (Get-SecretsTestModulePath) -Force
        $script:saved = Enter-SecretsTestHome -Path (Join-Path $TestDrive 'home')
        $script:commands = @(Get-Command -Module Secrets)
    }

    AfterAll {
        Exit-SecretsTestHome -Saved $script:saved
        Remove-Module Secrets, Secrets.TestHelpers -ErrorAction SilentlyContinue
    }

    It 'has a manifest that Test-ModuleManifest accepts' {
        $module = Test-ModuleManifest -Path (Get-SecretsTestModulePath) -ErrorAction Stop
        $module.Name | Should -Be 'Secrets'
        $module.CompatiblePSEditions | Should -Be @('Desktop', 'Core')
    }

    It 'gives every cmdlet an online help link' {
        $commands.Count | Should -BeGreaterThan 20
        foreach ($command in $commands) {
            $command.HelpUri | Should -Match ('^https://.+/docs/help/' + [regex]::Escape($command.Name) + '\.md$') -Because $command.Name
        }
    }

    It 'explains stores, identities, sharing, jobs and the vault in about_Secrets' {
        $text = Get-Help -Name about_Secrets | Out-String
        foreach ($topic in 'IDENTITIES', 'STORES', 'SHARING', 'JOBS', 'SECRETMANAGEMENT') {
            $text | Should -Match "(?m)^\s*$topic\b" -Because "about_Secrets has a section on $topic"
        }
    }

    Context 'a program''s standard error' -Skip:($PSVersionTable.PSVersion.Major -lt 7 -or $IsWindows) {
        BeforeAll {
            New-SecretIdentity -DisplayName 'tester' -NoPassword | Out-Null
            Set-Secret -Name 'job-token' -Secret 'token-value-for-stderr'
        }

        It 'is in the error stream, masked, and does not stop a script with ErrorActionPreference Stop' {
            $ErrorActionPreference = 'Stop'
            $lines = Invoke-WithSecrets -Environment @{ TOKEN = 'job-token' } -FilePath bash -ArgumentList '-c', 'echo "err $TOKEN" >&2; echo out' 2>&1
            $errors = @($lines | Where-Object { $_ -is [System.Management.Automation.ErrorRecord] })
            $errors.Count | Should -Be 1
            $errors[0].FullyQualifiedErrorId | Should -Be 'NativeCommandError'
            $errors[0].Exception.Message | Should -BeExactly 'err ***'
            @($lines | Where-Object { $_ -is [string] }) | Should -Be @('out')
        }

        It 'is captured by 2> like a native command''s' {
            $file = Join-Path $TestDrive 'stderr.txt'
            Invoke-WithSecrets -FilePath bash -ArgumentList '-c', 'echo to-the-file >&2' 2> $file
            (Get-Content -LiteralPath $file) | Should -Be 'to-the-file'
        }
    }
}
