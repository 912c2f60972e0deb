#Requires -Version 7.0
# Secrets as a Microsoft.PowerShell.SecretManagement vault, with the real SecretManagement
# (docs/VAULT.md). Skipped, with the reason, when SecretManagement is not installed: the contract
# itself is also tested without it, in tests/Secrets.PowerShell.Tests (VaultContractTests).
#
#     dotnet build src/Secrets
#     Invoke-Pester ./tests/Vault.Tests.ps1
#
# The tests register vaults with unique names and unregister them afterwards. On Linux and macOS,
# when SecretManagement is not loaded yet in this process, its vault registry is moved to a
# temporary HOME for the run, so the user's registry is not touched at all.

BeforeDiscovery {
    $script:HasSecretManagement = $null -ne (Get-Module -ListAvailable -Name Microsoft.PowerShell.SecretManagement)
}

Describe 'SecretManagement' {
    It 'is installed (else the vault tests below are skipped)' {
        if (-not $HasSecretManagement) {
            Set-ItResult -Skipped -Because 'Microsoft.PowerShell.SecretManagement is not installed; install it to run the vault tests against it'
        }
    }
}

Describe 'Secrets as a SecretManagement vault' -Skip:(-not $HasSecretManagement) {
    BeforeAll {
        $script:ModulePath = Join-Path $PSScriptRoot '..' 'out' 'Secrets' | Resolve-Path | Select-Object -ExpandProperty Path
        $script:SavedHome = $env:HOME
        $script:SavedSecretsHome = $env:SECRETS_HOME
        $script:Work = Join-Path ([IO.Path]::GetTempPath()) ("secrets-vault-tests-" + [guid]::NewGuid().ToString('N').Substring(0, 8))
        New-Item -ItemType Directory -Path $Work | Out-Null
        $env:SECRETS_HOME = Join-Path $Work 'secrets-home'

        if (-not $IsWindows -and -not (Get-Module -Name Microsoft.PowerShell.SecretManagement)) {
            # SecretManagement reads HOME once, when it first touches its registry.
            $env:HOME = Join-Path $Work 'home'
            New-Item -ItemType Directory -Path $env:HOME | Out-Null
        }

        Import-Module Microsoft.PowerShell.SecretManagement
        $null = Microsoft.PowerShell.SecretManagement\Get-SecretVault -ErrorAction Ignore
        $env:HOME = $SavedHome
        Import-Module $ModulePath -Force

        $script:Suffix = [guid]::NewGuid().ToString('N').Substring(0, 8)
        $script:Registered = [System.Collections.Generic.List[string]]::new()
        $script:Passphrase = [System.Net.NetworkCredential]::new('', 'correct horse battery staple').SecurePassword
        $script:Value = 'hunter2-distinctive-value'

        function script:New-Vault([string] $Name, [switch] $Locked, [int] $UnlockTimeout = 0) {
            $identity = Join-Path $Work "$Name.identity"
            $store = Join-Path $Work "$Name-store"
            if ($Locked) {
                Secrets\New-SecretIdentity -DisplayName $Name -Path $identity -Password $Passphrase | Out-Null
            }
            else {
                Secrets\New-SecretIdentity -DisplayName $Name -Path $identity -NoPassword | Out-Null
            }

            $env:SECRETS_IDENTITY = $identity
            try { Secrets\New-SecretStore -Path $store | Out-Null } finally { $env:SECRETS_IDENTITY = $null }
            $vaultName = "SecretsTest-$Suffix-$Name"
            $parameters = @{ Store = $store; Identity = $identity }
            if ($UnlockTimeout) { $parameters.UnlockTimeout = $UnlockTimeout }
            Register-SecretVault -Name $vaultName -ModuleName $ModulePath -VaultParameters $parameters
            $Registered.Add($vaultName)
            [pscustomobject]@{ Name = $vaultName; Store = $store; Identity = $identity }
        }

        $script:Work1 = New-Vault 'work'
    }

    AfterAll {
        foreach ($name in $Registered) {
            Unregister-SecretVault -Name $name -ErrorAction SilentlyContinue
        }

        Secrets\Lock-SecretIdentity -All
        $env:SECRETS_HOME = $SavedSecretsHome
        $env:HOME = $SavedHome
        Remove-Item -Recurse -Force -Path $Work -ErrorAction SilentlyContinue
    }

    It 'registers, and Test-SecretVault passes' {
        $vault = Get-SecretVault -Name $Work1.Name
        $vault.ModuleName | Should -Be 'Secrets'
        $vault.VaultParameters['Store'] | Should -Be $Work1.Store
        Test-SecretVault -Name $Work1.Name | Should -BeTrue
    }

    It 'Test-SecretVault fails and says why for a vault whose store is missing' {
        $name = "SecretsTest-$Suffix-broken"
        Register-SecretVault -Name $name -ModuleName $ModulePath -VaultParameters @{ Store = (Join-Path $Work 'nowhere'); Identity = $Work1.Identity }
        $Registered.Add($name)
        $result = Test-SecretVault -Name $name -ErrorVariable problems -ErrorAction SilentlyContinue
        $result | Should -BeFalse
        $problems[0].FullyQualifiedErrorId | Should -BeLike 'StoreNotFound,*'
        $problems[0].ToString() | Should -BeLike "*New-SecretStore -Path*"
    }

    It 'returns <Kind> as the same type and value' -ForEach @(
        @{ Kind = 'a string'; Make = { $Value }; Check = { param($v) $v | Should -BeOfType [string]; $v | Should -Be $Value }; Plain = $true }
        @{ Kind = 'a SecureString'; Make = { $Passphrase }; Check = { param($v) $v | Should -BeOfType [securestring]; [System.Net.NetworkCredential]::new('', $v).Password | Should -Be 'correct horse battery staple' }; Plain = $false }
        @{ Kind = 'a PSCredential'; Make = { [pscredential]::new('deploy', $Passphrase) }; Check = { param($v) $v | Should -BeOfType [pscredential]; $v.UserName | Should -Be 'deploy'; $v.GetNetworkCredential().Password | Should -Be 'correct horse battery staple' }; Plain = $false }
        @{ Kind = 'a byte[]'; Make = { , [byte[]](0, 1, 2, 254, 255) }; Check = { param($v) , $v | Should -BeOfType [byte[]]; ($v -join ',') | Should -Be '0,1,2,254,255' }; Plain = $false }
        # SecretManagement itself turns the string values of a table into SecureStrings unless -AsPlainText.
        @{ Kind = 'a Hashtable'; Make = { @{ user = 'app'; password = $Passphrase; blob = [byte[]](7, 8) } }; Check = { param($v) $v | Should -BeOfType [hashtable]; [System.Net.NetworkCredential]::new('', $v.user).Password | Should -Be 'app'; $v.password | Should -BeOfType [securestring]; , $v.blob | Should -BeOfType [byte[]]; ($v.blob -join ',') | Should -Be '7,8' }; Plain = $false }
    ) {
        $name = 'type-' + ($Kind -replace '[^A-Za-z]', '')
        $secret = & $Make
        Microsoft.PowerShell.SecretManagement\Set-Secret -Name $name -Secret $secret -Vault $Work1.Name
        $read = Microsoft.PowerShell.SecretManagement\Get-Secret -Name $name -Vault $Work1.Name -AsPlainText:$Plain
        & $Check $read
        (Microsoft.PowerShell.SecretManagement\Get-SecretInfo -Name $name -Vault $Work1.Name).Type | Should -Be ($Kind -replace '^an? ', '' -replace 'byte\[\]', 'ByteArray')
    }

    It 'keeps metadata through Set-Secret, Set-SecretInfo and Get-SecretInfo' {
        Microsoft.PowerShell.SecretManagement\Set-Secret -Name meta -Secret $Value -Vault $Work1.Name -Metadata @{ owner = 'ops'; rotateDays = 90 }
        $info = Microsoft.PowerShell.SecretManagement\Get-SecretInfo -Name meta -Vault $Work1.Name
        $info | Should -BeOfType ([Microsoft.PowerShell.SecretManagement.SecretInformation])
        $info.VaultName | Should -Be $Work1.Name
        $info.Metadata['owner'] | Should -Be 'ops'
        $info.Metadata['rotateDays'] | Should -Be 90

        $verbose = Microsoft.PowerShell.SecretManagement\Get-Secret -Name meta -Vault $Work1.Name -Verbose 4>&1 | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] }
        $verbose.Message | Should -Contain "Vault '$($Work1.Name)': read secret 'meta' version 1 (String) from the store at '$($Work1.Store)'."
        ($verbose.Message -join "`n") | Should -Not -BeLike "*$Value*"

        Microsoft.PowerShell.SecretManagement\Set-SecretInfo -Name meta -Vault $Work1.Name -Metadata @{ team = 'core' }
        $info = Microsoft.PowerShell.SecretManagement\Get-SecretInfo -Name meta -Vault $Work1.Name
        @($info.Metadata.Keys) | Should -Be @('team')
    }

    It 'lists with wildcards and without duplicates' {
        foreach ($n in 'list/a', 'list/b', 'LIST/A') {
            Microsoft.PowerShell.SecretManagement\Set-Secret -Name $n -Secret $Value -Vault $Work1.Name
        }

        $names = (Microsoft.PowerShell.SecretManagement\Get-SecretInfo -Name 'list/*' -Vault $Work1.Name).Name
        $names | Should -HaveCount 2
    }

    It 'reports a missing secret only as SecretManagement does' {
        Microsoft.PowerShell.SecretManagement\Get-Secret -Name missing -Vault $Work1.Name -ErrorVariable problems -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
        $problems | Should -HaveCount 1
        $problems[0].FullyQualifiedErrorId | Should -Be 'GetSecretNotFound,Microsoft.PowerShell.SecretManagement.GetSecretCommand'
    }

    It 'names the unlock commands for a locked identity, and Unlock-SecretVault unlocks it' {
        $locked = New-Vault 'locked' -Locked -UnlockTimeout 600
        Secrets\Unlock-SecretIdentity -Path $locked.Identity -Password $Passphrase
        Microsoft.PowerShell.SecretManagement\Set-Secret -Name api -Secret $Value -Vault $locked.Name
        Secrets\Lock-SecretIdentity -All

        Microsoft.PowerShell.SecretManagement\Get-Secret -Name api -Vault $locked.Name -ErrorVariable problems -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
        $problems[0].FullyQualifiedErrorId | Should -Be 'IdentityLocked,Microsoft.PowerShell.SecretManagement.GetSecretCommand'
        $problems[0].ToString() | Should -BeLike "*Unlock-SecretVault -Name '$($locked.Name)'*"
        ($problems | Out-String) | Should -Not -BeLike "*$Value*"

        Unlock-SecretVault -Name $locked.Name -Password $Passphrase
        Microsoft.PowerShell.SecretManagement\Get-Secret -Name api -Vault $locked.Name -AsPlainText | Should -Be $Value
        (Secrets\Get-SecretIdentity -Path $locked.Identity).IsLocked | Should -BeFalse

        # And the other way round: our own unlock counts for the vault.
        Secrets\Lock-SecretIdentity -All
        Secrets\Unlock-SecretIdentity -Path $locked.Identity -Password $Passphrase
        Microsoft.PowerShell.SecretManagement\Get-Secret -Name api -Vault $locked.Name -AsPlainText | Should -Be $Value
    }

    It 'refuses a wrong passphrase with our error' {
        $locked = New-Vault 'wrong' -Locked
        $wrong = [System.Net.NetworkCredential]::new('', 'not it').SecurePassword
        Unlock-SecretVault -Name $locked.Name -Password $wrong -ErrorVariable problems -ErrorAction SilentlyContinue
        $problems[0].FullyQualifiedErrorId | Should -BeLike 'WrongPassphrase,*'
    }

    It 'keeps several vaults apart' {
        $other = New-Vault 'other'
        Microsoft.PowerShell.SecretManagement\Set-Secret -Name shared -Secret 'from work' -Vault $Work1.Name
        Microsoft.PowerShell.SecretManagement\Set-Secret -Name shared -Secret 'from other' -Vault $other.Name
        Microsoft.PowerShell.SecretManagement\Get-Secret -Name shared -Vault $Work1.Name -AsPlainText | Should -Be 'from work'
        Microsoft.PowerShell.SecretManagement\Get-Secret -Name shared -Vault $other.Name -AsPlainText | Should -Be 'from other'
    }

    Context 'the name clash: both modules export Get-Secret, Set-Secret, Remove-Secret, Get-SecretInfo and Set-SecretInfo' {
        BeforeAll {
            # Another module's vault, kept in memory for this process.
            $foreign = Join-Path $Work 'MemoryVault'
            New-Item -ItemType Directory -Path (Join-Path $foreign 'MemoryVault.Extension') -Force | Out-Null
            Set-Content -Path (Join-Path $foreign 'MemoryVault.psd1') -Value "@{ ModuleVersion = '1.0'; NestedModules = @('./MemoryVault.Extension'); FunctionsToExport = @(); CmdletsToExport = @() }"
            Set-Content -Path (Join-Path $foreign 'MemoryVault.Extension/MemoryVault.Extension.psd1') -Value "@{ ModuleVersion = '1.0'; RootModule = 'MemoryVault.Extension.psm1'; FunctionsToExport = @('Get-Secret','Set-Secret','Remove-Secret','Get-SecretInfo','Test-SecretVault') }"
            Set-Content -Path (Join-Path $foreign 'MemoryVault.Extension/MemoryVault.Extension.psm1') -Value @'
function Store { $s = [AppDomain]::CurrentDomain.GetData('MemoryVault'); if ($null -eq $s) { $s = @{}; [AppDomain]::CurrentDomain.SetData('MemoryVault', $s) }; $s }
function Get-Secret { param([string] $Name, [string] $VaultName, [hashtable] $AdditionalParameters) $s = Store; if ($s.ContainsKey($Name)) { , $s[$Name] } }
function Set-Secret { param([string] $Name, [object] $Secret, [string] $VaultName, [hashtable] $AdditionalParameters) (Store)[$Name] = $Secret }
function Remove-Secret { param([string] $Name, [string] $VaultName, [hashtable] $AdditionalParameters) (Store).Remove($Name) }
function Get-SecretInfo { param([string] $Filter, [string] $VaultName, [hashtable] $AdditionalParameters)
    foreach ($k in @((Store).Keys)) { if ($k -like $Filter) { [Microsoft.PowerShell.SecretManagement.SecretInformation]::new($k, 'String', $VaultName) } } }
function Test-SecretVault { param([string] $VaultName, [hashtable] $AdditionalParameters) $true }
'@
            $script:Foreign = "SecretsTest-$Suffix-memory"
            Register-SecretVault -Name $Foreign -ModuleName $foreign
            $Registered.Add($Foreign)
        }

        It 'with Secrets imported last, Get-Secret is ours and hands a foreign vault to SecretManagement' {
            Import-Module $ModulePath -Force
            (Get-Command Get-Secret).Source | Should -Be 'Secrets'
            Set-Secret -Name token -Secret $Value -Vault $Foreign
            Get-Secret -Name token -Vault $Foreign -AsPlainText | Should -Be $Value
            (Get-SecretInfo -Name tok* -Vault $Foreign).Name | Should -Be 'token'
            Get-Secret -Name nope -Vault $Foreign -ErrorVariable problems -ErrorAction SilentlyContinue
            $problems[0].FullyQualifiedErrorId | Should -Be 'GetSecretNotFound,Microsoft.PowerShell.SecretManagement.GetSecretCommand'
            Remove-Secret -Name token -Vault $Foreign
            Get-Secret -Name token -Vault $Foreign -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
        }

        It 'with Secrets imported last, our own vault is served directly with its store and identity' {
            Import-Module $ModulePath -Force
            Set-Secret -Name direct -Secret $Value -Vault $Work1.Name -Metadata @{ owner = 'ops' }
            Get-Secret -Name direct -Vault $Work1.Name -AsPlainText | Should -Be $Value
            (Get-SecretInfo -Name direct -Vault $Work1.Name).Metadata['owner'] | Should -Be 'ops'
            Microsoft.PowerShell.SecretManagement\Get-Secret -Name direct -Vault $Work1.Name -AsPlainText | Should -Be $Value
        }

        It 'with SecretManagement imported last, the same script gives the same results' {
            Import-Module Microsoft.PowerShell.SecretManagement -Force
            (Get-Command Get-Secret).Source | Should -Be 'Microsoft.PowerShell.SecretManagement'
            foreach ($vault in $Foreign, $Work1.Name) {
                Set-Secret -Name same -Secret $Value -Vault $vault
                Get-Secret -Name same -Vault $vault -AsPlainText | Should -Be $Value
                Get-Secret -Name same -Vault $vault | Should -BeOfType [securestring]
                Remove-Secret -Name same -Vault $vault
            }

            Import-Module $ModulePath -Force
        }
    }
}
