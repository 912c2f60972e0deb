# The store: versions, metadata, Get-SecretInfo and pipelines, values from files and from JSON or
# YAML text, -WhatIf, stores in folders of your choice, and files tampered with on disk.
# Pester removes what a Context created under $TestDrive when the Context ends (the default store
# and the local state included), so every Context writes the secrets it reads.

Describe 'Secret store' {
    BeforeAll {
        Import-Module (Join-Path $PSScriptRoot 'Secrets.TestHelpers.psm1') -Force
        Import-Module (Get-SecretsTestModulePath) -Force
        $script:saved = Enter-SecretsTestHome -Path (Join-Path $TestDrive 'home')
        $script:identity = New-SecretIdentity -DisplayName 'tester' -NoPassword

        # The version file of a secret in a store (docs/FORMAT.md, "Store layout").
        function Get-VersionFile([string] $Store, [string] $Name, [int] $Version) {
            [System.IO.Path]::Combine($Store, 'secrets', $Name.ToLowerInvariant().Replace('/', '.'), "v$Version.secret")
        }

        function Write-TestFile([string] $Path, [byte[]] $Bytes) {
            [System.IO.File]::WriteAllBytes($Path, $Bytes)
        }
    }

    AfterAll {
        Exit-SecretsTestHome -Saved $script:saved
        Remove-Module Secrets, Secrets.TestHelpers -ErrorAction SilentlyContinue
    }

    Context 'versions' {
        BeforeAll {
            Set-Secret -Name 'rotating' -Secret 'first'
            Set-Secret -Name 'rotating' -Secret 'second'
            Set-Secret -Name 'rotating' -Secret 'third'
        }

        It 'every write adds a version and Get-Secret reads the newest' {
            $info = Get-SecretInfo -Name 'rotating'

            $info.Version | Should -Be 3
            $info.Versions | Should -Be @(1, 2, 3)
            Get-Secret -Name 'rotating' -AsPlainText | Should -BeExactly 'third'
        }

        It '-Version reads an older version' {
            Get-Secret -Name 'rotating' -Version 1 -AsPlainText | Should -BeExactly 'first'
            Get-Secret -Name 'rotating' -Version 2 -AsPlainText | Should -BeExactly 'second'
        }

        It 'Get-SecretInfo -AllVersions lists every kept version, oldest first' {
            $versions = @(Get-SecretInfo -Name 'rotating' -AllVersions)

            $versions.Count | Should -Be 3
            $versions.Version | Should -Be @(1, 2, 3)
            $versions | ForEach-Object { $_.Name | Should -Be 'rotating' }
        }

        It 'a version that is not kept is SecretVersionNotFound, naming the kept ones' {
            $err = { Get-Secret -Name 'rotating' -Version 9 -ErrorAction Stop } | Should -Throw -PassThru

            $err.FullyQualifiedErrorId | Should -BeExactly 'SecretVersionNotFound,Secrets.Commands.GetSecretCommand'
            $err.CategoryInfo.Category | Should -Be 'ObjectNotFound'
            $err.Exception.Message | Should -BeLike '*1, 2, 3*'
        }

        It 'a store keeps only -VersionsToKeep versions of each secret' {
            $store = Join-Path $TestDrive 'keep-two'
            New-SecretStore -Path $store -VersionsToKeep 2 | Out-Null
            1..3 | ForEach-Object { Set-Secret -Name 'k' -Secret "value $_" -Store $store }

            (Get-SecretInfo -Name 'k' -Store $store).Versions | Should -Be @(2, 3)
            Get-Secret -Name 'k' -Version 2 -Store $store -AsPlainText | Should -BeExactly 'value 2'
            { Get-Secret -Name 'k' -Version 1 -Store $store -ErrorAction Stop } |
                Should -Throw -ErrorId 'SecretVersionNotFound,Secrets.Commands.GetSecretCommand'
        }

        It 'Set-SecretStore changes how many versions are kept' {
            $store = Join-Path $TestDrive 'keep-two'

            $info = Set-SecretStore -Path $store -VersionsToKeep 5 -PassThru

            $info.VersionsToKeep | Should -Be 5
            (Get-SecretStore -Path $store).VersionsToKeep | Should -Be 5
        }
    }

    Context 'metadata' {
        It 'is stored with its types: string, int, long, bool, DateTime' {
            $expires = New-Object DateTime -ArgumentList 2027, 1, 31, 12, 0, 0, ([DateTimeKind]::Utc)
            Set-Secret -Name 'with-meta' -Secret 'v' -Metadata @{
                owner      = 'ops'
                rotateDays = 90
                big        = [long]9000000000
                enabled    = $true
                expires    = $expires
            }

            $metadata = (Get-SecretInfo -Name 'with-meta').Metadata

            $metadata.Count | Should -Be 5
            $metadata['owner'] | Should -BeExactly 'ops'
            $metadata['rotateDays'] | Should -BeOfType [int]
            $metadata['rotateDays'] | Should -Be 90
            $metadata['big'] | Should -BeOfType [long]
            $metadata['big'] | Should -Be 9000000000
            $metadata['enabled'] | Should -BeOfType [bool]
            $metadata['enabled'] | Should -BeTrue
            $metadata['expires'] | Should -BeOfType [DateTime]
            $metadata['expires'].ToUniversalTime() | Should -Be $expires
            $metadata['OWNER'] | Should -BeExactly 'ops'
        }

        It 'is kept by a later Set-Secret without -Metadata' {
            Set-Secret -Name 'with-meta' -Secret 'v2'

            $info = Get-SecretInfo -Name 'with-meta'
            $info.Version | Should -Be 2
            $info.Metadata['owner'] | Should -BeExactly 'ops'
        }

        It 'Set-SecretInfo replaces it in a new version with the same value' {
            $info = Set-SecretInfo -Name 'with-meta' -Metadata @{ owner = 'platform' } -PassThru

            $info.Version | Should -Be 3
            $info.Metadata.Count | Should -Be 1
            $info.Metadata['owner'] | Should -BeExactly 'platform'
            Get-Secret -Name 'with-meta' -AsPlainText | Should -BeExactly 'v2'
            (Get-SecretInfo -Name 'with-meta' -AllVersions).Version | Should -Be @(1, 2, 3)
        }

        It 'Set-SecretInfo -WhatIf changes nothing' {
            Set-SecretInfo -Name 'with-meta' -Metadata @{ owner = 'nobody' } -WhatIf

            $info = Get-SecretInfo -Name 'with-meta'
            $info.Version | Should -Be 3
            $info.Metadata['owner'] | Should -BeExactly 'platform'
        }

        It 'Set-SecretInfo of an unknown secret is SecretNotFound' {
            $err = { Set-SecretInfo -Name 'missing' -Metadata @{ a = 'b' } -ErrorAction Stop } | Should -Throw -PassThru

            $err.FullyQualifiedErrorId | Should -BeExactly 'SecretNotFound,Secrets.Commands.SetSecretInfoCommand'
            $err.CategoryInfo.Category | Should -Be 'ObjectNotFound'
        }

        It 'refuses a key with characters outside A-Z a-z 0-9 _ . -' {
            $err = { Set-Secret -Name 'bad-meta' -Secret 'v' -Metadata @{ 'has space' = 1 } -ErrorAction Stop } | Should -Throw -PassThru

            $err.FullyQualifiedErrorId | Should -BeExactly 'InvalidMetadata,Secrets.Commands.SetSecretCommand'
            $err.CategoryInfo.Category | Should -Be 'InvalidArgument'
            Get-SecretInfo -Name 'bad-meta' | Should -BeNullOrEmpty
        }

        It 'refuses a value of another type' {
            $err = { Set-Secret -Name 'bad-meta' -Secret 'v' -Metadata @{ ratio = 1.5 } -ErrorAction Stop } | Should -Throw -PassThru

            $err.FullyQualifiedErrorId | Should -BeExactly 'InvalidMetadata,Secrets.Commands.SetSecretCommand'
            $err.Exception.Message | Should -BeLike '*Double*'
        }
    }

    Context 'Get-SecretInfo and pipelines' {
        BeforeAll {
            $script:listStore = Join-Path $TestDrive 'list'
            New-SecretStore -Path $listStore | Out-Null
            Set-Secret -Store $listStore -Name 'prod/db' -Secret 'prod-db-value'
            Set-Secret -Store $listStore -Name 'prod/api' -Secret 'prod-api-value'
            Set-Secret -Store $listStore -Name 'test/db' -Secret 'test-db-value'
            Set-Secret -Store $listStore -Name 'Alpha' -Secret 'alpha-value'
        }

        It 'lists every secret sorted by name, without values' {
            $infos = @(Get-SecretInfo -Store $listStore)

            $infos.Name | Should -Be @('Alpha', 'prod/api', 'prod/db', 'test/db')
            $infos[0].Store | Should -Be ([System.IO.Path]::GetFullPath($listStore))
            $infos[0].ModifiedBy | Should -Be 'tester'
            $infos[0].Modified | Should -BeGreaterThan (Get-Date).AddMinutes(-10)
            $text = $infos | Format-List * | Out-String
            $text | Should -Not -BeLike '*-value*'
        }

        It 'filters names with wildcards, case-insensitively' {
            (Get-SecretInfo -Store $listStore -Name 'PROD/*').Name | Should -Be @('prod/api', 'prod/db')
            (Get-SecretInfo -Store $listStore -Name '*/db').Name | Should -Be @('prod/db', 'test/db')
            Get-SecretInfo -Store $listStore -Name 'nothing*' | Should -BeNullOrEmpty
        }

        It "Get-SecretInfo -Name 'prod/*' | Get-Secret reads each match" {
            $values = Get-SecretInfo -Store $listStore -Name 'prod/*' | Get-Secret -AsPlainText

            $values | Should -Be @('prod-api-value', 'prod-db-value')
        }

        It 'names piped to Get-Secret are read from -Store' {
            'test/db', 'Alpha' | Get-Secret -Store $listStore -AsPlainText | Should -Be @('test-db-value', 'alpha-value')
        }

        It 'Import-Csv | New-Secret creates one secret per row' {
            $csv = Join-Path $TestDrive 'secrets.csv'
            Set-Content -LiteralPath $csv -Encoding ASCII -Value @(
                'Name,Value'
                'ci/npm,npm-token'
                'ci/nuget,nuget-token'
                'ci/pypi,pypi-token'
            )

            Import-Csv -LiteralPath $csv | New-Secret -Store $listStore

            (Get-SecretInfo -Store $listStore -Name 'ci/*').Name | Should -Be @('ci/npm', 'ci/nuget', 'ci/pypi')
            Get-Secret -Store $listStore -Name 'ci/nuget' -AsPlainText | Should -BeExactly 'nuget-token'
        }

        It 'Import-Csv | New-Secret reports an existing name and goes on with the other rows' {
            $csv = Join-Path $TestDrive 'more.csv'
            Set-Content -LiteralPath $csv -Encoding ASCII -Value @(
                'Name,Value'
                'ci/npm,changed'
                'ci/cargo,cargo-token'
            )
            $errors = $null

            Import-Csv -LiteralPath $csv | New-Secret -Store $listStore -ErrorAction SilentlyContinue -ErrorVariable errors

            $errors.Count | Should -Be 1
            $errors[0].FullyQualifiedErrorId | Should -BeExactly 'SecretAlreadyExists,Secrets.Commands.NewSecretCommand'
            $errors[0].TargetObject | Should -Be 'ci/npm'
            Get-Secret -Store $listStore -Name 'ci/npm' -AsPlainText | Should -BeExactly 'npm-token'
            Get-Secret -Store $listStore -Name 'ci/cargo' -AsPlainText | Should -BeExactly 'cargo-token'
        }

        It 'Get-SecretInfo | Remove-Secret removes the matches only' {
            Get-SecretInfo -Store $listStore -Name 'ci/*' | Remove-Secret -Confirm:$false

            Get-SecretInfo -Store $listStore -Name 'ci/*' | Should -BeNullOrEmpty
            (Get-SecretInfo -Store $listStore).Count | Should -Be 4
        }
    }

    Context 'values from files (-Path, -LiteralPath) and from text (-Values)' {
        It '-Path reads a UTF-8 text file as a String and drops a byte order mark' {
            $file = Join-Path $TestDrive 'token.txt'
            Write-TestFile $file ([byte[]](0xEF, 0xBB, 0xBF) + [System.Text.Encoding]::UTF8.GetBytes('from-a-file'))

            Set-Secret -Name 'file/token' -Path $file

            (Get-SecretInfo -Name 'file/token').Type | Should -Be 'String'
            Get-Secret -Name 'file/token' -AsPlainText | Should -BeExactly 'from-a-file'
        }

        It '-Path resolves PowerShell paths and wildcards that match one file' {
            Write-TestFile (Join-Path $TestDrive 'only-one.key') ([System.Text.Encoding]::UTF8.GetBytes('wildcard'))

            Set-Secret -Name 'file/wildcard' -Path 'TestDrive:/only-*.key'

            Get-Secret -Name 'file/wildcard' -AsPlainText | Should -BeExactly 'wildcard'
        }

        It '-Path matching several files is refused' {
            Write-TestFile (Join-Path $TestDrive 'many-1.key') ([byte[]](65))
            Write-TestFile (Join-Path $TestDrive 'many-2.key') ([byte[]](66))

            $err = { Set-Secret -Name 'file/many' -Path (Join-Path $TestDrive 'many-*.key') -ErrorAction Stop } | Should -Throw -PassThru

            $err.FullyQualifiedErrorId | Should -BeExactly 'AmbiguousPath,Secrets.Commands.SetSecretCommand'
            $err.CategoryInfo.Category | Should -Be 'InvalidArgument'
        }

        It '-LiteralPath takes wildcard characters literally' {
            $file = Join-Path $TestDrive 'key[1].txt'
            Write-TestFile $file ([System.Text.Encoding]::UTF8.GetBytes('literal'))

            New-Secret -Name 'file/literal' -LiteralPath $file

            Get-Secret -Name 'file/literal' -AsPlainText | Should -BeExactly 'literal'
        }

        It '-AsByteArray stores the file as bytes' {
            $file = Join-Path $TestDrive 'blob.bin'
            $bytes = [byte[]](0, 255, 1, 254, 0xEF, 0xBB, 0xBF)
            Write-TestFile $file $bytes

            Set-Secret -Name 'file/blob' -LiteralPath $file -AsByteArray

            (Get-SecretInfo -Name 'file/blob').Type | Should -Be 'ByteArray'
            [Convert]::ToBase64String((Get-Secret -Name 'file/blob')) | Should -BeExactly ([Convert]::ToBase64String($bytes))
        }

        It 'a file that is not UTF-8 text needs -AsByteArray' {
            $file = Join-Path $TestDrive 'not-text.bin'
            Write-TestFile $file ([byte[]](0xC3, 0x28, 0xFF))

            $err = { Set-Secret -Name 'file/not-text' -LiteralPath $file -ErrorAction Stop } | Should -Throw -PassThru

            $err.FullyQualifiedErrorId | Should -BeExactly 'ValueFileNotText,Secrets.Commands.SetSecretCommand'
            $err.Exception.Message | Should -BeLike '*-AsByteArray*'
        }

        It 'a missing file is reported as not found' {
            $err = { Set-Secret -Name 'file/missing' -LiteralPath (Join-Path $TestDrive 'no-such-file') -ErrorAction Stop } | Should -Throw -PassThru

            $err.FullyQualifiedErrorId | Should -BeExactly 'ValueFileNotFound,Secrets.Commands.SetSecretCommand'
            $err.CategoryInfo.Category | Should -Be 'ObjectNotFound'
        }

        It 'a device is refused without being read' -Skip:$IsWindows {
            $err = { Set-Secret -Name 'file/zero' -LiteralPath '/dev/zero' -AsByteArray -ErrorAction Stop } | Should -Throw -PassThru

            $err.FullyQualifiedErrorId | Should -BeExactly 'ValueFileNotRegular,Secrets.Commands.SetSecretCommand'
            $err.Exception.Message | Should -BeLike "*'/dev/zero' is a character device*"
        }

        It '-Values nested fifty thousand levels deep is refused, and the session goes on' {
            $err = { Set-Secret -Name 'json/deep' -Values (('[' * 50000) + (']' * 50000)) -ErrorAction Stop } | Should -Throw -PassThru

            $err.FullyQualifiedErrorId | Should -BeExactly 'InvalidValues,Secrets.Commands.SetSecretCommand'
            Get-SecretInfo -Name 'json/deep' -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
        }

        It '-Values takes a JSON object and stores a Hashtable' {
            Set-Secret -Name 'json/db' -Values '{ "user": "app", "password": "p: w,d", "port": 5432 }'

            $table = Get-Secret -Name 'json/db' -AsPlainText
            (Get-SecretInfo -Name 'json/db').Type | Should -Be 'Hashtable'
            $table.Count | Should -Be 3
            $table['user'] | Should -BeExactly 'app'
            $table['password'] | Should -BeExactly 'p: w,d'
            $table['port'] | Should -BeExactly '5432'
        }

        It '-Values takes a YAML mapping' {
            New-Secret -Name 'yaml/db' -Values "user: app`npassword: 'it''s: secret'`n"

            $table = Get-Secret -Name 'yaml/db' -AsPlainText
            $table['user'] | Should -BeExactly 'app'
            $table['password'] | Should -BeExactly "it's: secret"
        }

        It '-Values that are not a mapping are refused without echoing them' {
            $err = { Set-Secret -Name 'json/bad' -Values '["sup3r-s3cret"]' -ErrorAction Stop } | Should -Throw -PassThru

            $err.FullyQualifiedErrorId | Should -BeExactly 'InvalidValues,Secrets.Commands.SetSecretCommand'
            $err.CategoryInfo.Category | Should -Be 'InvalidArgument'
            $err.Exception.Message | Should -Not -BeLike '*sup3r-s3cret*'
        }

        It '-Values with invalid syntax are refused without echoing them' {
            $err = { Set-Secret -Name 'json/bad' -Values '{ "user": "sup3r-s3cret' -ErrorAction Stop } | Should -Throw -PassThru

            $err.FullyQualifiedErrorId | Should -BeExactly 'InvalidValues,Secrets.Commands.SetSecretCommand'
            $err.Exception.Message | Should -Not -BeLike '*sup3r-s3cret*'
        }
    }

    Context '-WhatIf' {
        It 'Set-Secret -WhatIf writes nothing, not even a new default store' {
            $env:SECRETS_STORE = Join-Path $TestDrive 'what-if-default'
            try {
                Set-Secret -Name 'what-if' -Secret 'x' -WhatIf

                $env:SECRETS_STORE | Should -Not -Exist
            }
            finally {
                $env:SECRETS_STORE = $null
            }
        }

        It 'Set-Secret -WhatIf keeps the current version' {
            Set-Secret -Name 'what-if' -Secret 'real'

            Set-Secret -Name 'what-if' -Secret 'not written' -WhatIf

            (Get-SecretInfo -Name 'what-if').Version | Should -Be 1
            Get-Secret -Name 'what-if' -AsPlainText | Should -BeExactly 'real'
        }

        It 'New-Secret -WhatIf writes nothing' {
            New-Secret -Name 'what-if-new' -Value 'x' -WhatIf

            Get-SecretInfo -Name 'what-if-new' | Should -BeNullOrEmpty
        }

        It 'New-SecretStore -WhatIf creates no folder' {
            $store = Join-Path $TestDrive 'what-if-store'

            New-SecretStore -Path $store -WhatIf

            $store | Should -Not -Exist
        }
    }

    Context 'stores' {
        BeforeAll {
            Set-Secret -Name 'in-default' -Secret 'default value'
        }

        It 'New-SecretStore creates a store owned by the identity' {
            $store = Join-Path $TestDrive 'team'

            $info = New-SecretStore -Path $store

            $info.Path | Should -Be ([System.IO.Path]::GetFullPath($store))
            $info.Owner | Should -Be 'tester'
            $info.OwnerFingerprint | Should -Be $identity.Fingerprint
            $info.OwnerRecipient | Should -Be $identity.Recipient
            $info.VersionsToKeep | Should -Be 10
            $info.IsDefault | Should -BeFalse
            Join-Path $store 'store.manifest' | Should -Exist
            Join-Path $store '.gitattributes' | Should -Exist
        }

        It '-Store writes to that store only' {
            $store = Join-Path $TestDrive 'team'
            Set-Secret -Store $store -Name 'shared' -Secret 'team value'

            Get-Secret -Store $store -Name 'shared' -AsPlainText | Should -BeExactly 'team value'
            (Get-SecretInfo).Name | Should -Be @('in-default')
            (Get-SecretInfo -Store $store).Name | Should -Be @('shared')
        }

        It 'Get-SecretStore shows the default store' {
            $info = Get-SecretStore

            $info.IsDefault | Should -BeTrue
            $info.Path | Should -Be ([System.IO.Path]::Combine($env:SECRETS_HOME, 'store'))
        }

        It 'New-SecretStore refuses a folder that is not empty' {
            $folder = Join-Path $TestDrive 'not-empty'
            $null = New-Item -ItemType Directory -Path $folder
            Set-Content -LiteralPath (Join-Path $folder 'readme.txt') -Value 'x'

            $err = { New-SecretStore -Path $folder -ErrorAction Stop } | Should -Throw -PassThru

            $err.FullyQualifiedErrorId | Should -BeExactly 'StoreFolderNotEmpty,Secrets.Commands.NewSecretStoreCommand'
        }

        It '-Store naming a folder without a store is StoreNotFound' {
            $err = { Get-Secret -Store (Join-Path $TestDrive 'no-store') -Name 'x' -ErrorAction Stop } | Should -Throw -PassThru

            $err.FullyQualifiedErrorId | Should -BeExactly 'StoreNotFound,Secrets.Commands.GetSecretCommand'
            $err.CategoryInfo.Category | Should -Be 'ObjectNotFound'
        }
    }

    Context 'files changed on disk' {
        BeforeAll {
            $script:tamperStore = Join-Path $TestDrive 'tamper'
            New-SecretStore -Path $tamperStore | Out-Null
            Set-Secret -Store $tamperStore -Name 'app/key' -Secret 'one'
            Set-Secret -Store $tamperStore -Name 'app/key' -Secret 'two'
            Set-Secret -Store $tamperStore -Name 'app/other' -Secret 'untouched'
            Get-Secret -Store $tamperStore -Name 'app/key' | Out-Null
        }

        It 'a modified version file is InvalidData naming the file' {
            $file = Get-VersionFile $tamperStore 'app/key' 2
            $file | Should -Exist
            $text = [System.IO.File]::ReadAllText($file)
            $match = [regex]::Match($text, '(?m)^payload \S+ (\S)')
            $flipped = if ($match.Groups[1].Value -eq 'A') { 'B' } else { 'A' }
            $text = $text.Remove($match.Groups[1].Index, 1).Insert($match.Groups[1].Index, $flipped)
            Write-TestFile $file ([System.Text.Encoding]::ASCII.GetBytes($text))

            $err = { Get-Secret -Store $tamperStore -Name 'app/key' -ErrorAction Stop } | Should -Throw -PassThru

            $err.FullyQualifiedErrorId | Should -BeExactly 'SecretFileInvalid,Secrets.Commands.GetSecretCommand'
            $err.CategoryInfo.Category | Should -Be 'InvalidData'
            $err.Exception.Message | Should -BeLike "*$file*"
            $err.Exception.Message | Should -BeLike '*signature*'
        }

        It 'Get-SecretInfo reports the bad secret and still lists the others' {
            $errors = $null
            $infos = Get-SecretInfo -Store $tamperStore -ErrorAction SilentlyContinue -ErrorVariable errors

            $infos.Name | Should -Be @('app/other')
            $errors.Count | Should -Be 1
            $errors[0].FullyQualifiedErrorId | Should -BeExactly 'SecretFileInvalid,Secrets.Commands.GetSecretInfoCommand'
            $errors[0].CategoryInfo.Category | Should -Be 'InvalidData'
        }

        It 'the older version is still readable with -Version' {
            Get-Secret -Store $tamperStore -Name 'app/key' -Version 1 -AsPlainText | Should -BeExactly 'one'
        }

        It 'a version file copied onto another version number is refused' {
            $file = Get-VersionFile $tamperStore 'app/other' 1
            Copy-Item -LiteralPath $file -Destination (Get-VersionFile $tamperStore 'app/other' 2)

            $err = { Get-Secret -Store $tamperStore -Name 'app/other' -ErrorAction Stop } | Should -Throw -PassThru

            $err.FullyQualifiedErrorId | Should -BeExactly 'SecretFileInvalid,Secrets.Commands.GetSecretCommand'
            $err.Exception.Message | Should -BeLike '*named for version 2*'
        }

        It 'an older copy put back in place of the newest is RollbackDetected' {
            Remove-Item -LiteralPath (Get-VersionFile $tamperStore 'app/other' 2)
            Get-Secret -Store $tamperStore -Name 'app/other' -AsPlainText | Should -BeExactly 'untouched'
            Set-Secret -Store $tamperStore -Name 'app/other' -Secret 'newer'
            Remove-Item -LiteralPath (Get-VersionFile $tamperStore 'app/other' 2)

            $err = { Get-Secret -Store $tamperStore -Name 'app/other' -ErrorAction Stop } | Should -Throw -PassThru

            $err.FullyQualifiedErrorId | Should -BeExactly 'RollbackDetected,Secrets.Commands.GetSecretCommand'
            $err.CategoryInfo.Category | Should -Be 'SecurityError'
        }
    }
}
