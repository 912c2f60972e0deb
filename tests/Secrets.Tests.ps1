# Secret values: every type round-trips with its exact type, New/Set/Get/Remove-Secret, names,
# and the error records (FullyQualifiedErrorId and category) scripts can rely on.
# Pester removes what a Context created under $TestDrive when the Context ends (the store
# included), so every Context writes the secrets it reads.

Describe 'Secret values' {
    BeforeAll {
        Import-Module (Join-Path $PSScriptRoot 'Secrets.TestHelpers.psm1') -Force
        Import-Module (Get-SecretsTestModulePath) -Force
        $script:saved = Enter-SecretsTestHome -Path (Join-Path $TestDrive 'home')
        New-SecretIdentity -DisplayName 'tester' -NoPassword | Out-Null
    }

    AfterAll {
        Exit-SecretsTestHome -Saved $script:saved
        Remove-Module Secrets, Secrets.TestHelpers -ErrorAction SilentlyContinue
    }

    Context 'types' {
        It 'a String comes back as SecureString, and as String with -AsPlainText' {
            Set-Secret -Name 'github-token' -Secret 'ghp_example' | Should -BeNullOrEmpty

            $secure = Get-Secret -Name 'github-token'
            $plain = Get-Secret -Name 'github-token' -AsPlainText

            $secure | Should -BeOfType [System.Security.SecureString]
            ConvertFrom-TestSecureString $secure | Should -BeExactly 'ghp_example'
            $plain | Should -BeOfType [string]
            $plain | Should -BeExactly 'ghp_example'
            (Get-SecretInfo -Name 'github-token').Type | Should -Be 'String'
        }

        It 'a SecureString given with -SecureStringSecret is stored as SecureString' {
            Set-Secret -Name 'secure-a' -SecureStringSecret (ConvertTo-TestSecureString 'secure value')

            (Get-SecretInfo -Name 'secure-a').Type | Should -Be 'SecureString'
            $value = Get-Secret -Name 'secure-a'
            $value | Should -BeOfType [System.Security.SecureString]
            ConvertFrom-TestSecureString $value | Should -BeExactly 'secure value'
            Get-Secret -Name 'secure-a' -AsPlainText | Should -BeExactly 'secure value'
        }

        It 'a SecureString given with -Secret is stored as SecureString' {
            Set-Secret -Name 'secure-b' -Secret (ConvertTo-TestSecureString 'other value')

            (Get-SecretInfo -Name 'secure-b').Type | Should -Be 'SecureString'
            ConvertFrom-TestSecureString (Get-Secret -Name 'secure-b') | Should -BeExactly 'other value'
        }

        It 'a PSCredential comes back as PSCredential' {
            $credential = New-Object System.Management.Automation.PSCredential -ArgumentList 'CORP\svc-backup', (ConvertTo-TestSecureString 'p@ss w0rd')
            Set-Secret -Name 'backup/credential' -Secret $credential

            $value = Get-Secret -Name 'backup/credential'

            $value | Should -BeOfType [System.Management.Automation.PSCredential]
            $value.UserName | Should -BeExactly 'CORP\svc-backup'
            $value.GetNetworkCredential().Password | Should -BeExactly 'p@ss w0rd'
            (Get-SecretInfo -Name 'backup/credential').Type | Should -Be 'PSCredential'
        }

        It 'a byte[] comes back as the same bytes' {
            $bytes = [byte[]](0, 1, 2, 127, 128, 254, 255)
            Set-Secret -Name 'binary' -Secret $bytes

            $value = Get-Secret -Name 'binary'

            , $value | Should -BeOfType [byte[]]
            $value.Length | Should -Be 7
            [Convert]::ToBase64String($value) | Should -BeExactly ([Convert]::ToBase64String($bytes))
            (Get-SecretInfo -Name 'binary').Type | Should -Be 'ByteArray'
        }

        It 'a byte[] can be piped when wrapped in an array' {
            , [byte[]](9, 8, 7) | Set-Secret -Name 'piped-binary'

            [Convert]::ToBase64String((Get-Secret -Name 'piped-binary')) | Should -BeExactly ([Convert]::ToBase64String([byte[]](9, 8, 7)))
        }

        It 'a Hashtable comes back with each entry in its own type' {
            $credential = New-Object System.Management.Automation.PSCredential -ArgumentList 'app', (ConvertTo-TestSecureString 'db-pass')
            Set-Secret -Name 'prod/db' -Secret @{
                host       = 'db.example'
                password   = ConvertTo-TestSecureString 'pw'
                credential = $credential
                cert       = [byte[]](1, 2, 3)
            }

            $table = Get-Secret -Name 'prod/db'

            $table | Should -BeOfType [hashtable]
            $table.Count | Should -Be 4
            $table['host'] | Should -BeOfType [System.Security.SecureString]
            $table['password'] | Should -BeOfType [System.Security.SecureString]
            $table['credential'] | Should -BeOfType [System.Management.Automation.PSCredential]
            $table['credential'].GetNetworkCredential().Password | Should -BeExactly 'db-pass'
            , $table['cert'] | Should -BeOfType [byte[]]
            ConvertFrom-TestSecureString $table['password'] | Should -BeExactly 'pw'
            (Get-SecretInfo -Name 'prod/db').Type | Should -Be 'Hashtable'
        }

        It 'a Hashtable with -AsPlainText has plain strings and case-insensitive keys' {
            $table = Get-Secret -Name 'prod/db' -AsPlainText

            $table['HOST'] | Should -BeExactly 'db.example'
            $table['Password'] | Should -BeExactly 'pw'
            $table['credential'] | Should -BeOfType [System.Management.Automation.PSCredential]
        }

        It 'text outside ASCII round-trips' {
            $text = 'caf' + [char]0xE9 + ' ' + [char]0x4E2D + [char]0x6587 + ' ' + [char]::ConvertFromUtf32(0x1F511)
            Set-Secret -Name 'unicode' -Secret $text

            Get-Secret -Name 'unicode' -AsPlainText | Should -BeExactly $text
        }

        It 'a value of another type is refused, naming the parameter and never the value' {
            $err = { Set-Secret -Name 'number' -Secret 424242 -ErrorAction Stop } | Should -Throw -PassThru

            $err.FullyQualifiedErrorId | Should -BeExactly 'InvalidSecretValue,Secrets.Commands.SetSecretCommand'
            $err.CategoryInfo.Category | Should -Be 'InvalidArgument'
            $err.Exception.Message | Should -BeLike '*-Secret*quotes*'
            $err.Exception.Message | Should -Not -BeLike '*424242*'
            Get-SecretInfo -Name 'number' | Should -BeNullOrEmpty
        }

        It 'a nested Hashtable is refused' {
            $err = { Set-Secret -Name 'nested' -Secret @{ inner = @{ a = 'b' } } -ErrorAction Stop } | Should -Throw -PassThru

            $err.FullyQualifiedErrorId | Should -BeExactly 'InvalidSecretValue,Secrets.Commands.SetSecretCommand'
            $err.Exception.Message | Should -BeLike "*'inner'*"
        }
    }

    Context 'New-Secret, Set-Secret and names' {
        It 'New-Secret creates a secret and -PassThru describes it' {
            $info = New-Secret -Name 'api/key' -Value 'k1' -PassThru

            $info.GetType().FullName | Should -Be 'Secrets.SecretInfo'
            $info.Name | Should -Be 'api/key'
            $info.Version | Should -Be 1
            $info.Type | Should -Be 'String'
            Get-Secret -Name 'api/key' -AsPlainText | Should -BeExactly 'k1'
        }

        It 'New-Secret refuses a name that exists' {
            $err = { New-Secret -Name 'api/key' -Value 'k2' -ErrorAction Stop } | Should -Throw -PassThru

            $err.FullyQualifiedErrorId | Should -BeExactly 'SecretAlreadyExists,Secrets.Commands.NewSecretCommand'
            $err.CategoryInfo.Category | Should -Be 'ResourceExists'
            $err.TargetObject | Should -Be 'api/key'
            Get-Secret -Name 'api/key' -AsPlainText | Should -BeExactly 'k1'
        }

        It 'Set-Secret -NoClobber refuses a name that exists' {
            $err = { Set-Secret -Name 'api/key' -Secret 'k2' -NoClobber -ErrorAction Stop } | Should -Throw -PassThru

            $err.FullyQualifiedErrorId | Should -BeExactly 'SecretAlreadyExists,Secrets.Commands.SetSecretCommand'
        }

        It 'Set-Secret writes a new version of an existing secret' {
            $info = Set-Secret -Name 'api/key' -Secret 'k2' -PassThru

            $info.Version | Should -Be 2
            $info.Versions | Should -Be @(1, 2)
            Get-Secret -Name 'api/key' -AsPlainText | Should -BeExactly 'k2'
        }

        It 'names are case-insensitive and keep the case of the newest write' {
            Set-Secret -Name 'Prod/Web' -Secret 'v1'

            Get-Secret -Name 'PROD/WEB' -AsPlainText | Should -BeExactly 'v1'
            (Get-SecretInfo -Name 'prod/web').Name | Should -BeExactly 'Prod/Web'

            Set-Secret -Name 'prod/web' -Secret 'v2'
            (Get-SecretInfo -Name 'PROD/web').Name | Should -BeExactly 'prod/web'
        }

        It 'an invalid name is refused' {
            $err = { Set-Secret -Name 'has space' -Secret 'x' -ErrorAction Stop } | Should -Throw -PassThru

            $err.FullyQualifiedErrorId | Should -BeExactly 'InvalidSecretName,Secrets.Commands.SetSecretCommand'
            $err.CategoryInfo.Category | Should -Be 'InvalidArgument'
        }
    }

    Context 'Get-Secret and Remove-Secret' {
        It 'an unknown name is SecretNotFound' {
            $err = { Get-Secret -Name 'missing' -ErrorAction Stop } | Should -Throw -PassThru

            $err.FullyQualifiedErrorId | Should -BeExactly 'SecretNotFound,Secrets.Commands.GetSecretCommand'
            $err.CategoryInfo.Category | Should -Be 'ObjectNotFound'
            $err.TargetObject | Should -Be 'missing'
            $err.Exception.GetType().FullName | Should -Be 'Secrets.Core.Errors.SecretNotFoundException'
        }

        It 'errors are per pipeline item: the other names are still read' {
            Set-Secret -Name 'pipe/a' -Secret 'value a'
            Set-Secret -Name 'pipe/b' -Secret 'value b'
            $errors = $null

            $values = 'pipe/a', 'missing', 'pipe/b' | Get-Secret -AsPlainText -ErrorAction SilentlyContinue -ErrorVariable errors

            $values | Should -Be @('value a', 'value b')
            $errors.Count | Should -Be 1
            $errors[0].FullyQualifiedErrorId | Should -BeExactly 'SecretNotFound,Secrets.Commands.GetSecretCommand'
        }

        It 'name.key reads one key of a hashtable or credential, several names one object each' {
            Set-Secret -Name 'keys/db' -Secret @{ user = 'app'; password = 'db pass' }
            Set-Secret -Name 'keys/login' -Secret ([pscredential]::new('bob', (ConvertTo-TestSecureString 'login pass')))

            Get-Secret -Name 'keys/db.password' | Should -BeOfType [securestring]
            Get-Secret -Name 'keys/db.password', 'keys/login.UserName', 'keys/login.Password' -AsPlainText | Should -Be @('db pass', 'bob', 'login pass')
            $err = { Get-Secret -Name 'keys/db.pasword' -ErrorAction Stop } | Should -Throw -PassThru
            $err.FullyQualifiedErrorId | Should -BeExactly 'SecretKeyNotFound,Secrets.Commands.GetSecretCommand'
            $err.CategoryInfo.Category | Should -Be 'ObjectNotFound'
            $err.ErrorDetails.Message | Should -Match "has no key 'pasword'\. Its keys: "
            $err.ErrorDetails.Message | Should -Match "'user'"
            $err.ErrorDetails.Message | Should -Match "'password'"
        }

        It 'Rename-Secret moves the current value and warns that older versions are not kept' {
            Set-Secret -Name 'rename/a' -Secret 'first'
            Set-Secret -Name 'rename/a' -Secret 'second'

            Rename-Secret -Name 'rename/a' -NewName 'rename/b' -WarningVariable warned -WarningAction SilentlyContinue

            Get-Secret -Name 'rename/b' -AsPlainText | Should -BeExactly 'second'
            Get-SecretInfo -Name 'rename/a' | Should -BeNullOrEmpty
            "$warned" | Should -Match 'not carried over'
        }

        It 'Set-Secret without a value in a session that cannot prompt is SecretValueRequired, not a wait' {
            $err = { Set-Secret -Name 'prompted' -ErrorAction Stop } | Should -Throw -PassThru

            $err.FullyQualifiedErrorId | Should -BeExactly 'SecretValueRequired,Secrets.Commands.SetSecretCommand'
            $err.CategoryInfo.Category | Should -Be 'InvalidArgument'
            $err.ErrorDetails.Message | Should -Match 'Give it with -Secret'
            Get-SecretInfo -Name 'prompted' | Should -BeNullOrEmpty
        }

        It 'Remove-Secret -WhatIf keeps the secret' {
            Set-Secret -Name 'to-remove' -Secret 'bye'

            Remove-Secret -Name 'to-remove' -WhatIf

            Get-Secret -Name 'to-remove' -AsPlainText | Should -BeExactly 'bye'
        }

        It 'Remove-Secret removes the secret and every version' {
            Set-Secret -Name 'to-remove' -Secret 'bye again'

            Remove-Secret -Name 'to-remove' -Confirm:$false

            Get-SecretInfo -Name 'to-remove' | Should -BeNullOrEmpty
            { Get-Secret -Name 'to-remove' -ErrorAction Stop } | Should -Throw -ErrorId 'SecretNotFound,Secrets.Commands.GetSecretCommand'
            { Get-Secret -Name 'to-remove' -Version 1 -ErrorAction Stop } | Should -Throw
        }

        It 'a removed name can be created again and its numbering goes on' {
            $info = New-Secret -Name 'to-remove' -Value 'hello again' -PassThru

            $info.Version | Should -Be 4
            $info.Versions | Should -Contain 4
            (Get-SecretInfo -Name 'to-remove' -AllVersions).Version | Should -Be @(4)
            Get-Secret -Name 'to-remove' -AsPlainText | Should -BeExactly 'hello again'
        }

        It 'Remove-Secret of an unknown name is SecretNotFound' {
            $err = { Remove-Secret -Name 'missing' -Confirm:$false -ErrorAction Stop } | Should -Throw -PassThru

            $err.FullyQualifiedErrorId | Should -BeExactly 'SecretNotFound,Secrets.Commands.RemoveSecretCommand'
            $err.CategoryInfo.Category | Should -Be 'ObjectNotFound'
        }
    }
}
