# A team store in git, synced with Sync-SecretStore on a real pwsh and the real git: a bare
# repository stands for the shared one, and alice and bob each have a clone and a Secrets home.

BeforeDiscovery {
    $script:noGit = $null -eq (Get-Command git -CommandType Application -ErrorAction SilentlyContinue)
}

Describe 'Sync-SecretStore' -Skip:$noGit {
    BeforeAll {
        Import-Module (Join-Path $PSScriptRoot 'Secrets.TestHelpers.psm1') -Force
        Import-Module (Get-SecretsTestModulePath) -Force
        $script:saved = Enter-SecretsTestHome -Path (Join-Path $TestDrive 'alice-home')

        function script:Invoke-Git {
            param([string] $Folder)
            $output = & git -C $Folder @args 2>&1
            if ($LASTEXITCODE -ne 0) { throw "git $args failed: $output" }
            $output
        }

        function script:As {
            # Runs the script block as alice or bob: their Secrets home.
            param([string] $Person, [scriptblock] $Action)
            $env:SECRETS_HOME = Join-Path $TestDrive "$Person-home"
            & $Action
        }

        $script:remote = Join-Path $TestDrive 'team.git'
        $null = & git init -q --bare -b main $remote
        function script:Clone {
            param([string] $Person)
            $clone = Join-Path $TestDrive $Person
            $null = & git clone -q $remote $clone 2>&1
            Invoke-Git $clone config user.name $Person
            Invoke-Git $clone config user.email "$Person@example.org"
            if (-not (& git -C $clone rev-parse -q --verify HEAD)) { Invoke-Git $clone checkout -q -b main }
        }

        Clone alice

        $script:aliceStore = Join-Path $TestDrive 'alice/store'
        $script:bobStore = Join-Path $TestDrive 'bob/store'
        $script:bob = As bob { New-SecretIdentity -DisplayName bob -NoPassword }
        As alice {
            $null = New-SecretIdentity -DisplayName alice -NoPassword
            $null = New-SecretStore -Path $aliceStore
            Add-SecretStoreMember -Store $aliceStore -Name bob -Recipient $bob.Recipient -Role Member
            Set-Secret -Store $aliceStore -Name db -Secret 'first'
            Grant-SecretAccess -Store $aliceStore -Name db -Member bob -Access Write
        }
    }

    AfterAll {
        Exit-SecretsTestHome -Saved $script:saved
        Remove-Module Secrets, Secrets.TestHelpers -ErrorAction SilentlyContinue
    }

    It 'with -WhatIf commits and pushes nothing' {
        As alice { Sync-SecretStore -Path $aliceStore -WhatIf }

        & git -C (Join-Path $TestDrive 'alice') rev-parse -q --verify HEAD | Should -BeNullOrEmpty
        & git -C $remote rev-parse -q --verify main | Should -BeNullOrEmpty
    }

    It 'commits the store with a message that names what was done, and pushes it' {
        $result = As alice { Sync-SecretStore -Path $aliceStore }

        $result.GetType().FullName | Should -Be 'Secrets.SecretStoreSyncResult'
        $result.Pushed | Should -BeTrue
        $result.Branch | Should -Be 'main'
        $result.Commit | Should -Be (Invoke-Git $remote rev-parse main)
        $message = Invoke-Git (Join-Path $TestDrive 'alice') log -1 --format=%B
        ($message -join "`n") | Should -Match "wrote 'db' \(version 1\)"
        ($message -join "`n") | Should -Not -Match 'first'
    }

    It 'brings the others'' changes to a clone, verified' {
        Clone bob
        As bob { Get-Secret -Store $bobStore -Name db -AsPlainText } | Should -Be 'first'
        As alice { Set-Secret -Store $aliceStore -Name db -Secret 'second'; $null = Sync-SecretStore -Path $aliceStore }

        $result = As bob { Sync-SecretStore -Path $bobStore }

        $result.Received | Should -Be 1
        $result.Pushed | Should -BeFalse
        As bob { Get-Secret -Store $bobStore -Name db -AsPlainText } | Should -Be 'second'
    }

    It 'keeps both values when both write the same secret apart, the later-synced one newest' {
        As alice { Set-Secret -Store $aliceStore -Name db -Secret 'from alice' }
        As bob { Set-Secret -Store $bobStore -Name db -Secret 'from bob' }
        As alice { $null = Sync-SecretStore -Path $aliceStore }

        $result = As bob { Sync-SecretStore -Path $bobStore }
        As alice { $null = Sync-SecretStore -Path $aliceStore }

        $result.Sent | Should -Be 1
        $result.NotApplied.Count | Should -Be 0
        $result.Pushed | Should -BeTrue
        $values = As alice {
            $newest = (Get-SecretInfo -Store $aliceStore -Name db).Version
            $newest..1 | ForEach-Object { Get-Secret -Store $aliceStore -Name db -Version $_ -AsPlainText }
        }
        $values[0] | Should -Be 'from bob'
        $values | Should -Contain 'from alice'
        $values | Should -Contain 'first'
    }

    It 'warns about a change the merged store does not allow, and reports it' {
        As alice { Revoke-SecretAccess -Store $aliceStore -Name db -Member bob -WarningAction SilentlyContinue }
        As bob { Set-Secret -Store $bobStore -Name db -Secret 'too late' }
        As alice { $null = Sync-SecretStore -Path $aliceStore }

        $output = As bob { Sync-SecretStore -Path $bobStore 3>&1 }
        $warnings = @($output | Where-Object { $_ -is [System.Management.Automation.WarningRecord] })
        $result = $output | Where-Object { $_ -is [Secrets.SecretStoreSyncResult] }

        $result.NotApplied.Count | Should -Be 1
        $result.NotApplied[0].Secret | Should -Be 'db'
        $warnings.Count | Should -Be 1
        "$($warnings[0])" | Should -Match "^Not applied: set 'db'"
        "$($warnings[0])" | Should -Not -Match 'too late'
        As alice { $null = Sync-SecretStore -Path $aliceStore; Get-Secret -Store $aliceStore -Name db -AsPlainText } | Should -Be 'from bob'
    }

    It 'syncs a store registered under a name' {
        As bob { Register-SecretStore -Name team -Path $bobStore }
        As alice { Set-Secret -Store $aliceStore -Name api -Secret 'api value'; $null = Sync-SecretStore -Path $aliceStore }

        $result = As bob { Sync-SecretStore team }

        $result.Store | Should -Be ([System.IO.Path]::GetFullPath($bobStore))
        $result.Received | Should -Be 1
    }

    It 'refuses a store outside a git working tree and says what to do' {
        $loose = Join-Path ([System.IO.Path]::GetTempPath()) ("secrets-sync-" + [guid]::NewGuid())
        try {
            As alice { $null = New-SecretStore -Path $loose }
            $err = { As alice { Sync-SecretStore -Path $loose -ErrorAction Stop } } | Should -Throw -PassThru

            $err.FullyQualifiedErrorId | Should -BeExactly 'StoreNotInGit,Secrets.Commands.SyncSecretStoreCommand'
            $err.ErrorDetails.RecommendedAction + $err.CategoryInfo.Reason + $err.Exception.Message | Should -Match 'git'
        }
        finally {
            Remove-Item -LiteralPath $loose -Recurse -Force -ErrorAction SilentlyContinue
        }
    }
}
