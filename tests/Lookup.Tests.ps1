#Requires -Version 7.0
# The lookup order with the real Microsoft.PowerShell.SecretManagement (docs/VAULT.md, "The lookup
# order" and "Secret URIs"): two stores of this module, a vault of another module (the test vault
# extension tests/Fixtures/TestVault, which keeps its secrets in a JSON file) and, when it is
# installed, Microsoft.PowerShell.SecretStore with a configuration without password. Skipped, with
# the reason, when SecretManagement is not installed: the same behaviour is tested without it in
# tests/Secrets.PowerShell.Tests (LookupTests), against a stand-in.
#
#     dotnet build src/Secrets
#     Invoke-Pester ./tests/Lookup.Tests.ps1
#
# On Linux and macOS, HOME is moved to a temporary folder for the whole run, so neither
# SecretManagement's vault registry nor SecretStore's files of the user are touched.

BeforeDiscovery {
    $script:HasSecretManagement = $null -ne (Get-Module -ListAvailable -Name Microsoft.PowerShell.SecretManagement)
    $script:HasSecretStore = $null -ne (Get-Module -ListAvailable -Name Microsoft.PowerShell.SecretStore)
}

Describe 'SecretManagement for the lookup tests' {
    It 'is installed (else the lookup tests with it are skipped)' {
        if (-not $HasSecretManagement) {
            Set-ItResult -Skipped -Because 'Microsoft.PowerShell.SecretManagement is not installed; install it to run the lookup tests against it'
        }
    }

    It 'has SecretStore next to it (else the SecretStore tests are skipped)' {
        if (-not $HasSecretStore) {
            Set-ItResult -Skipped -Because 'Microsoft.PowerShell.SecretStore is not installed; install it to run the tests with SecretStore as the default vault'
        }
    }
}

Describe 'The lookup order with SecretManagement' -Skip:(-not $HasSecretManagement) {
    BeforeAll {
        $script:ModulePath = Join-Path $PSScriptRoot '..' 'out' 'Secrets' | Resolve-Path | Select-Object -ExpandProperty Path
        $script:TestVaultPath = Join-Path $PSScriptRoot 'Fixtures' 'TestVault' | Resolve-Path | Select-Object -ExpandProperty Path
        $script:SavedHome = $env:HOME
        $script:SavedSecretsHome = $env:SECRETS_HOME
        $script:Work = Join-Path ([IO.Path]::GetTempPath()) ("secrets-lookup-tests-" + [guid]::NewGuid().ToString('N').Substring(0, 8))
        New-Item -ItemType Directory -Path $Work | Out-Null
        $env:SECRETS_HOME = Join-Path $Work 'secrets-home'
        if (-not $IsWindows) {
            $env:HOME = Join-Path $Work 'home'
            New-Item -ItemType Directory -Path $env:HOME | Out-Null
        }

        Import-Module Microsoft.PowerShell.SecretManagement
        Import-Module $ModulePath -Force
        $script:Suffix = [guid]::NewGuid().ToString('N').Substring(0, 8)
        $script:Registered = [System.Collections.Generic.List[string]]::new()

        Secrets\New-SecretIdentity -Name tester -NoPassword | Out-Null
        $script:TeamPath = Join-Path $Work 'team-store'
        Secrets\New-SecretStore -Path $TeamPath -Name team | Out-Null
        Secrets\Set-Secret -Name shared -Secret 'personal-value' -Store personal
        Secrets\Set-Secret -Name shared -Secret 'team-value' -Store team
        Secrets\Set-Secret -Name db -Secret @{ user = 'app'; password = 'team-db-pw' } -Store team

        # Another module's vault, SecretManagement's default.
        $script:Tv = "LookupTest-$Suffix"
        Register-SecretVault -Name $Tv -ModuleName $TestVaultPath -VaultParameters @{ Path = (Join-Path $Work 'testvault.json') } -DefaultVault
        $Registered.Add($Tv)
        Microsoft.PowerShell.SecretManagement\Set-Secret -Name fromtv -Secret 'tv-value' -Vault $Tv
        Microsoft.PowerShell.SecretManagement\Set-Secret -Name api -Secret @{ key = 'tv-api-key' } -Vault $Tv
    }

    AfterAll {
        foreach ($name in $Registered) {
            Microsoft.PowerShell.SecretManagement\Unregister-SecretVault -Name $name -ErrorAction SilentlyContinue
        }

        $env:SECRETS_HOME = $SavedSecretsHome
        $env:HOME = $SavedHome
        Remove-Item -Recurse -Force -Path $Work -ErrorAction SilentlyContinue
    }

    It 'searches the default vault first, then the stores, as SecretManagement searches its vaults' {
        Import-Module $ModulePath -Force
        (Secrets\Get-SecretLookupOrder).Name | Should -Be @($Tv, 'personal', 'team')
        Secrets\Get-Secret -Name fromtv -AsPlainText | Should -Be 'tv-value'
        Secrets\Get-Secret -Name shared -AsPlainText | Should -Be 'personal-value'
        Secrets\Get-Secret -Name "secret://$Tv/api#key" -AsPlainText | Should -Be 'tv-api-key'
        Secrets\Get-Secret -Name 'secret://team/db#password' -AsPlainText | Should -Be 'team-db-pw'

        $infos = Secrets\Get-SecretInfo
        ($infos | Where-Object Name -eq fromtv).VaultName | Should -Be $Tv
        ($infos | Where-Object Name -eq shared | ForEach-Object { "$($_.StoreName):$($_.Shadowed)" }) | Should -Be @('personal:False', 'team:True')
    }

    It 'with the order personal, team the team copy is shadowed and a URI still reaches it' {
        Secrets\Set-SecretLookupOrder -Name personal, team
        try {
            (Secrets\Get-SecretLookupOrder).Name | Should -Be @('personal', 'team', $Tv)
            Secrets\Get-Secret -Name shared -AsPlainText | Should -Be 'personal-value'
            Secrets\Get-Secret -Name 'secret://team/shared' -AsPlainText | Should -Be 'team-value'
            Secrets\Get-Secret -Name fromtv -AsPlainText | Should -Be 'tv-value'
        }
        finally {
            Secrets\Set-SecretLookupOrder -Default
        }
    }

    It 'Get-Secret, Get-SecretInfo, Set-Secret and Remove-Secret give the same results in either import order (<First> imported last)' -ForEach @(
        @{ First = 'Secrets' }
        @{ First = 'Microsoft.PowerShell.SecretManagement' }
    ) {
        if ($First -eq 'Secrets') { Import-Module $ModulePath -Force } else { Import-Module Microsoft.PowerShell.SecretManagement -Force }
        (Get-Command Get-Secret).Source | Should -Be $First

        # The same script, with plain names: both modules write to and read from the default vault.
        Set-Secret -Name plain -Secret 'plain-value'
        Microsoft.PowerShell.SecretManagement\Get-Secret -Name plain -Vault $Tv -AsPlainText | Should -Be 'plain-value'
        Get-Secret -Name plain -AsPlainText | Should -Be 'plain-value'
        Get-Secret -Name plain | Should -BeOfType [securestring]
        Get-Secret -Name fromtv -Vault $Tv -AsPlainText | Should -Be 'tv-value'
        (Get-SecretInfo -Name plain).VaultName | Should -Be $Tv
        (Get-SecretInfo -Name 'from*' -Vault $Tv).Name | Should -Be 'fromtv'
        Remove-Secret -Name plain -Vault $Tv
        Get-Secret -Name plain -Vault $Tv -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
        Import-Module $ModulePath -Force
    }

    It 'runs a job and renders a template with secrets from a store and from the other vault at once' {
        Import-Module $ModulePath -Force
        $template = Join-Path $Work 'app.tmpl'
        $output = Join-Path $Work 'app.conf'
        Set-Content -LiteralPath $template -Value "db={{ secret://team/db#password }} api={{secret://$Tv/api#key}} tv={{fromtv}}" -NoNewline
        $result = Secrets\Invoke-WithSecrets -Environment @{ DB = 'secret://team/db#password'; TV = 'fromtv'; API = "secret://$Tv/api#key" } -Template @{ $output = $template } -NoMask -ScriptBlock {
            "$env:DB|$env:TV|$env:API"
            Get-Content -Raw -LiteralPath $args[0]
        } -ArgumentList $output
        $result[0] | Should -Be 'team-db-pw|tv-value|tv-api-key'
        $result[1] | Should -Be 'db=team-db-pw api=tv-api-key tv=tv-value'
        Test-Path -LiteralPath $output | Should -BeFalse
    }

    It 'reports a malformed URI clearly, in Get-Secret and in a job' {
        Import-Module $ModulePath -Force
        { Secrets\Get-Secret -Name 'secret:team/db' -ErrorAction Stop } | Should -Throw -ErrorId 'InvalidSecretUri,Secrets.Commands.GetSecretCommand'
        { Secrets\Get-Secret -Name 'secret://nosuch/db' -ErrorAction Stop } | Should -Throw "*No store or vault is named 'nosuch'*"
        { Secrets\Invoke-WithSecrets -Environment @{ X = 'secret://team/db#a#b' } -ScriptBlock { 'ran' } } | Should -Throw "*environment variable X*contains '#' twice*"
    }

    Context 'with SecretStore as the default vault' -Skip:(-not $HasSecretStore) {
        BeforeAll {
            Import-Module Microsoft.PowerShell.SecretStore
            $script:Ss = "LookupTestStore-$Suffix"
            Register-SecretVault -Name $Ss -ModuleName Microsoft.PowerShell.SecretStore -DefaultVault
            $Registered.Add($Ss)
            Reset-SecretStore -Authentication None -Interaction None -Force -Confirm:$false
            Microsoft.PowerShell.SecretManagement\Set-Secret -Name fromss -Secret 'ss-value' -Vault $Ss
            Import-Module $ModulePath -Force
        }

        AfterAll {
            Set-SecretVaultDefault -Name $Tv
        }

        It 'Get-Secret without -Vault reads a SecretStore secret, and Get-SecretInfo lists every vault' {
            Secrets\Get-Secret -Name fromss -AsPlainText | Should -Be 'ss-value'
            (Secrets\Get-SecretLookupOrder)[0].Name | Should -Be $Ss
            $infos = Secrets\Get-SecretInfo
            ($infos | Where-Object Name -eq fromss).VaultName | Should -Be $Ss
            ($infos | Where-Object Name -eq fromtv).VaultName | Should -Be $Tv
            ($infos | Where-Object Name -eq shared).StoreName | Should -Be @('personal', 'team')
        }

        It 'a job takes secrets from SecretStore and a store at once' {
            $result = Secrets\Invoke-WithSecrets -Environment @{ SS = 'fromss'; DB = 'secret://team/db#password' } -NoMask -ScriptBlock { "$env:SS|$env:DB" }
            $result | Should -Be 'ss-value|team-db-pw'
        }
    }
}
