# Identities: creation with a passphrase and without one, unlock, lock and timeout, and what an
# unattended (non-interactive) job is told when the identity is missing or locked.

Describe 'Secret identities' {
    BeforeAll {
        Import-Module (Join-Path $PSScriptRoot 'Secrets.TestHelpers.psm1') -Force
        Import-Module (Get-SecretsTestModulePath) -Force
        $script:saved = Enter-SecretsTestHome -Path (Join-Path $TestDrive 'home')
        $script:passphrase = ConvertTo-TestSecureString 'correct horse battery staple'
        $script:defaultIdentity = [System.IO.Path]::Combine($env:SECRETS_HOME, 'identities', 'default.identity')
    }

    AfterAll {
        Exit-SecretsTestHome -Saved $script:saved
        Remove-Module Secrets, Secrets.TestHelpers -ErrorAction SilentlyContinue
    }

    Context 'with a passphrase' {
        It 'New-SecretIdentity creates an identity that is unlocked right away' {
            $identity = New-SecretIdentity -DisplayName 'alice' -Password $passphrase

            $identity.GetType().FullName | Should -Be 'Secrets.SecretIdentityInfo'
            $identity.DisplayName | Should -Be 'alice'
            $identity.Protection | Should -Be 'Passphrase'
            $identity.IsLocked | Should -BeFalse
            $identity.UnlockedUntil | Should -BeGreaterThan (Get-Date)
            $identity.Path | Should -Be $defaultIdentity
            $identity.Recipient | Should -MatchExactly '^secrets1[02-9ac-hj-np-z]{109}$'
            $identity.Fingerprint | Should -MatchExactly '^[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}$'
            "$identity" | Should -Be $identity.Recipient
            $defaultIdentity | Should -Exist
        }

        It 'Get-SecretIdentity shows the same public identity' {
            $created = Get-Content -LiteralPath $defaultIdentity -Raw
            $shown = Get-SecretIdentity

            $shown.DisplayName | Should -Be 'alice'
            $shown.Recipient | Should -Be ([regex]::Match($created, 'public (\S+)').Groups[1].Value)
        }

        It 'refuses to replace an existing identity without -Force' {
            $err = { New-SecretIdentity -DisplayName 'mallory' -Password $passphrase -ErrorAction Stop } | Should -Throw -PassThru

            $err.FullyQualifiedErrorId | Should -BeExactly 'IdentityExists,Secrets.Commands.NewSecretIdentityCommand'
            $err.CategoryInfo.Category | Should -Be 'ResourceExists'
            $err.TargetObject | Should -Be $defaultIdentity
            (Get-SecretIdentity).DisplayName | Should -Be 'alice'
        }

        It 'with -Force -WhatIf leaves the identity untouched' {
            $before = Get-Content -LiteralPath $defaultIdentity -Raw

            New-SecretIdentity -DisplayName 'mallory' -Password $passphrase -Force -WhatIf

            Get-Content -LiteralPath $defaultIdentity -Raw | Should -BeExactly $before
        }

        It 'refuses an empty passphrase' {
            $empty = New-Object System.Security.SecureString
            $path = Join-Path $TestDrive 'empty.identity'

            $err = { New-SecretIdentity -Path $path -Password $empty -ErrorAction Stop } | Should -Throw -PassThru

            $err.FullyQualifiedErrorId | Should -BeExactly 'EmptyPassword,Secrets.Commands.NewSecretIdentityCommand'
            $err.CategoryInfo.Category | Should -Be 'InvalidArgument'
            $path | Should -Not -Exist
        }

        It 'reads and writes secrets while unlocked' {
            Set-Secret -Name 'probe' -Secret 'probe-value'

            Get-Secret -Name 'probe' -AsPlainText | Should -BeExactly 'probe-value'
        }

        It 'Lock-SecretIdentity locks it' {
            Lock-SecretIdentity

            $identity = Get-SecretIdentity
            $identity.IsLocked | Should -BeTrue
            $identity.UnlockedUntil | Should -BeNullOrEmpty
        }

        It 'a locked identity makes an unattended read fail with IdentityLocked' {
            $lines = Invoke-SecretsNonInteractive @'
try { Get-Secret -Name 'probe' -AsPlainText } catch { $_.FullyQualifiedErrorId; $_.CategoryInfo.Category.ToString(); $_.ErrorDetails.Message }
'@

            $lines[0] | Should -BeExactly 'IdentityLocked,Secrets.Commands.GetSecretCommand'
            $lines[1] | Should -Be 'AuthenticationError'
            $lines[2] | Should -BeLike '*Unlock-SecretIdentity*'
        }

        It 'Unlock-SecretIdentity refuses a wrong passphrase' {
            $wrong = ConvertTo-TestSecureString 'not the passphrase'

            $err = { Unlock-SecretIdentity -Password $wrong -ErrorAction Stop } | Should -Throw -PassThru

            $err.FullyQualifiedErrorId | Should -BeExactly 'WrongPassphrase,Secrets.Commands.UnlockSecretIdentityCommand'
            $err.CategoryInfo.Category | Should -Be 'AuthenticationError'
            (Get-SecretIdentity).IsLocked | Should -BeTrue
        }

        It 'Unlock-SecretIdentity unlocks it for 15 minutes by default' {
            $identity = Unlock-SecretIdentity -Password $passphrase -PassThru

            $identity.IsLocked | Should -BeFalse
            $identity.UnlockedUntil | Should -BeGreaterThan (Get-Date).AddMinutes(14)
            $identity.UnlockedUntil | Should -BeLessThan (Get-Date).AddMinutes(16)
            Get-Secret -Name 'probe' -AsPlainText | Should -BeExactly 'probe-value'
        }

        It 'Unlock-SecretIdentity without -PassThru writes nothing' {
            Unlock-SecretIdentity -Password $passphrase | Should -BeNullOrEmpty
        }

        It 'locks again when the -Timeout runs out' {
            Unlock-SecretIdentity -Password $passphrase -Timeout ([TimeSpan]::FromSeconds(1))
            (Get-SecretIdentity).IsLocked | Should -BeFalse

            Start-Sleep -Milliseconds 1600

            (Get-SecretIdentity).IsLocked | Should -BeTrue
        }

        It 'refuses a timeout that is not positive' {
            $err = { Unlock-SecretIdentity -Password $passphrase -Timeout ([TimeSpan]::Zero) -ErrorAction Stop } | Should -Throw -PassThru

            $err.FullyQualifiedErrorId | Should -BeExactly 'InvalidTimeout,Secrets.Commands.UnlockSecretIdentityCommand'
            $err.CategoryInfo.Category | Should -Be 'InvalidArgument'
        }

        It 'Lock-SecretIdentity -All locks every identity of the session' {
            Unlock-SecretIdentity -Password $passphrase

            Lock-SecretIdentity -All

            (Get-SecretIdentity).IsLocked | Should -BeTrue
        }

        It 'an unattended New-SecretIdentity without -Password says how to give one' {
            $path = Join-Path $TestDrive 'unattended.identity'
            $lines = Invoke-SecretsNonInteractive @"
try { New-SecretIdentity -Path '$path' } catch { `$_.FullyQualifiedErrorId; `$_.CategoryInfo.Category.ToString(); `$_.Exception.Message }
"@

            $lines[0] | Should -BeExactly 'PasswordRequired,Secrets.Commands.NewSecretIdentityCommand'
            $lines[1] | Should -Be 'InvalidArgument'
            $lines[2] | Should -BeLike '*-NoPassword*'
            $path | Should -Not -Exist
        }
    }

    Context 'without a passphrase (-NoPassword)' {
        BeforeAll {
            $script:automationPath = Join-Path $TestDrive 'automation.identity'
        }

        It 'New-SecretIdentity -NoPassword creates an identity that is never locked' {
            $identity = New-SecretIdentity -DisplayName 'build-agent' -NoPassword -Path $automationPath

            $identity.Protection | Should -Be 'None'
            $identity.IsLocked | Should -BeFalse
            $identity.UnlockedUntil | Should -BeNullOrEmpty
            $identity.Path | Should -Be $automationPath
            (Get-SecretIdentity -Path $automationPath).IsLocked | Should -BeFalse
        }

        It 'Unlock-SecretIdentity has nothing to do' {
            $identity = Unlock-SecretIdentity -Path $automationPath -PassThru

            $identity.Protection | Should -Be 'None'
            $identity.IsLocked | Should -BeFalse
        }

        It 'is readable only by its owner' -Skip:(-not $IsLinux) {
            (& stat -c '%a' $automationPath) | Should -Be '600'
        }

        It 'a copy that others can read is refused, naming the file and the fix' -Skip:$IsWindows {
            $open = Join-Path $TestDrive 'open.identity'
            Copy-Item -LiteralPath $automationPath -Destination $open
            & chmod 644 $open

            $err = { Unlock-SecretIdentity -Path $open -ErrorAction Stop } | Should -Throw -PassThru

            $err.FullyQualifiedErrorId | Should -BeExactly 'IdentityFileUnprotected,Secrets.Commands.UnlockSecretIdentityCommand'
            $err.CategoryInfo.Category | Should -Be 'SecurityError'
            $err.Exception.Message | Should -BeLike "*$open*mode 0644*"
            $err.ErrorDetails.Message | Should -BeLike "*chmod 600*"

            & chmod 600 $open
            (Unlock-SecretIdentity -Path $open -PassThru).Protection | Should -Be 'None'
        }

        It 'a modified identity file is InvalidData naming the file' {
            $copy = Join-Path $TestDrive 'modified.identity'
            $text = [System.IO.File]::ReadAllText($automationPath).Replace('name build-agent', 'name build-agenT')
            [System.IO.File]::WriteAllBytes($copy, [System.Text.Encoding]::ASCII.GetBytes($text))

            $err = { Get-SecretIdentity -Path $copy -ErrorAction Stop } | Should -Throw -PassThru

            $err.FullyQualifiedErrorId | Should -BeExactly 'IdentityFileInvalid,Secrets.Commands.GetSecretIdentityCommand'
            $err.CategoryInfo.Category | Should -Be 'InvalidData'
            $err.Exception.Message | Should -BeLike "*$copy*"
        }

        It 'lets an unattended job read secrets' {
            $homeBefore = $env:SECRETS_HOME
            try {
                $env:SECRETS_HOME = Join-Path $TestDrive 'automation-home'
                New-SecretIdentity -DisplayName 'job' -NoPassword | Out-Null
                Set-Secret -Name 'deploy/token' -Secret 'token-for-the-job'

                $lines = Invoke-SecretsNonInteractive "Get-Secret -Name 'deploy/token' -AsPlainText"

                $lines | Should -Be @('token-for-the-job')
            }
            finally {
                $env:SECRETS_HOME = $homeBefore
            }
        }
    }

    Context 'when there is no identity yet' {
        It 'an unattended write says how to create one' {
            $fresh = Join-Path $TestDrive 'fresh-home'
            $lines = Invoke-SecretsNonInteractive @"
`$env:SECRETS_HOME = '$fresh'
try { Set-Secret -Name 'a' -Secret 'b' } catch { `$_.FullyQualifiedErrorId; `$_.CategoryInfo.Category.ToString(); `$_.ErrorDetails.Message }
"@

            $lines[0] | Should -BeExactly 'IdentityNotFound,Secrets.Commands.SetSecretCommand'
            $lines[1] | Should -Be 'ObjectNotFound'
            $lines[2] | Should -BeLike '*New-SecretIdentity*'
        }

        It 'Get-SecretIdentity reports the missing file' {
            $err = { Get-SecretIdentity -Path (Join-Path $TestDrive 'none.identity') -ErrorAction Stop } | Should -Throw -PassThru

            $err.FullyQualifiedErrorId | Should -BeExactly 'IdentityNotFound,Secrets.Commands.GetSecretIdentityCommand'
            $err.CategoryInfo.Category | Should -Be 'ObjectNotFound'
        }
    }
}

Describe '-Identity on the commands that act as someone' {
    BeforeAll {
        Import-Module (Join-Path $PSScriptRoot 'Secrets.TestHelpers.psm1') -Force
        Import-Module (Get-SecretsTestModulePath) -Force
        $script:saved = Enter-SecretsTestHome -Path (Join-Path $TestDrive 'identity-parameter-home')
        $null = New-SecretIdentity -DisplayName 'me' -NoPassword
        $script:work = New-SecretIdentity -Name work -DisplayName 'me at work' -NoPassword
        $script:store = Join-Path $TestDrive 'work-store'
    }

    AfterAll {
        Exit-SecretsTestHome -Saved $script:saved
        Remove-Module Secrets, Secrets.TestHelpers -ErrorAction SilentlyContinue
    }

    It 'creates, writes and reads a store as the named identity' {
        $info = New-SecretStore -Path $store -Identity work
        Set-Secret -Store $store -Name token -Secret 'work token' -Identity work

        $info.Owner | Should -Be 'me at work'
        Get-Secret -Store $store -Name token -AsPlainText -Identity work | Should -Be 'work token'
        Invoke-WithSecrets -Store $store -Identity work -Environment @{ TOKEN = 'token' } -ScriptBlock { $env:TOKEN } | Should -Be '***'
    }

    It 'acts as the identity in use without it' {
        $err = { Get-Secret -Store $store -Name token -AsPlainText -ErrorAction Stop } | Should -Throw -PassThru

        $err.FullyQualifiedErrorId | Should -Match '^(NotARecipient|NotAStoreMember|AccessDenied),'
    }

    It 'takes the path of an identity file' {
        Get-Secret -Store $store -Name token -AsPlainText -Identity $work.Path | Should -Be 'work token'
    }
}
