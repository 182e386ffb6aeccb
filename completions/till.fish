# fish completion for till.
# Generated from till's command tree by 'till completion fish'; do not edit.
# Install: save as till.fish in ~/.config/fish/completions/.

# How the value of option $argv[2] of command $argv[1] completes. The first line is
# flag (it takes none), choice, file, listed (by running the program with the arguments
# on the following lines) or none; then come the choices or the arguments.
function __till_option
    switch "$argv[1]|$argv[2]"
        case 'till cart add|--item'
            printf '%s\n' none
        case 'till cart add|--bundle'
            printf '%s\n' none
        case 'till cart add|--cart'
            printf '%s\n' none
        case 'till cart add|--product'
            printf '%s\n' none
        case 'till cart add|--quantity'
            printf '%s\n' none
        case 'till cart add|--event'
            printf '%s\n' none
        case 'till cart add|--seat'
            printf '%s\n' none
        case 'till cart add|--price'
            printf '%s\n' none
        case 'till cart add|--reservation'
            printf '%s\n' none
        case 'till cart add|--user'
            printf '%s\n' none
        case 'till cart add|--guest'
            printf '%s\n' none
        case 'till cart show|--cart'
            printf '%s\n' none
        case 'till cart update|--cart'
            printf '%s\n' none
        case 'till cart update|--product'
            printf '%s\n' none
        case 'till cart update|--quantity'
            printf '%s\n' none
        case 'till cart remove|--cart'
            printf '%s\n' none
        case 'till cart remove|--product'
            printf '%s\n' none
        case 'till cart remove|--item'
            printf '%s\n' none
        case 'till cart clear|--cart'
            printf '%s\n' none
        case 'till checkout start|--offer'
            printf '%s\n' none
        case 'till checkout start|--item'
            printf '%s\n' none
        case 'till checkout start|--bundle'
            printf '%s\n' none
        case 'till checkout start|--customer'
            printf '%s\n' none
        case 'till checkout start|--payment-channel'
            printf '%s\n' choice CreditCard PayPal Klarna SEPA Bank
        case 'till checkout start|--card-file'
            printf '%s\n' file
        case 'till checkout start|--correlation-id'
            printf '%s\n' none
        case 'till checkout start|--body'
            printf '%s\n' file
        case 'till checkout start|--cart'
            printf '%s\n' none
        case 'till checkout start|--user'
            printf '%s\n' none
        case 'till checkout start|--email'
            printf '%s\n' none
        case 'till checkout start|--payment-method'
            printf '%s\n' none
        case 'till checkout start|--customer-name'
            printf '%s\n' none
        case 'till checkout start|--shipping-address'
            printf '%s\n' file
        case 'till checkout start|--order'
            printf '%s\n' none
        case 'till checkout start|--guest'
            printf '%s\n' none
        case 'till checkout start|--promotion'
            printf '%s\n' none
        case 'till checkout start|--interval'
            printf '%s\n' none
        case 'till checkout start|--report-junit'
            printf '%s\n' file
        case 'till checkout status|--ids-from'
            printf '%s\n' file
        case 'till checkout status|--parallel'
            printf '%s\n' none
        case 'till checkout status|--interval'
            printf '%s\n' none
        case 'till checkout status|--report-junit'
            printf '%s\n' file
        case 'till checkout trace|-o' 'till checkout trace|--output'
            printf '%s\n' file
        case 'till checkout trace|--ids-from'
            printf '%s\n' file
        case 'till checkout trace|--parallel'
            printf '%s\n' none
        case 'till checkout trace|--interval'
            printf '%s\n' none
        case 'till checkout trace|--report-junit'
            printf '%s\n' file
        case 'till checkout list|--user'
            printf '%s\n' none
        case 'till checkout list|--status'
            printf '%s\n' none
        case 'till checkout list|--limit'
            printf '%s\n' none
        case 'till checkout pay|--amount'
            printf '%s\n' none
        case 'till checkout pay|--user'
            printf '%s\n' none
        case 'till checkout pay|--guest'
            printf '%s\n' none
        case 'till checkout pay|--interval'
            printf '%s\n' none
        case 'till checkout pay|--report-junit'
            printf '%s\n' file
        case 'till checkout retry|--interval'
            printf '%s\n' none
        case 'till checkout retry|--report-junit'
            printf '%s\n' file
        case 'till checkout shipping|--carrier'
            printf '%s\n' none
        case 'till checkout shipping|--service'
            printf '%s\n' none
        case 'till customer add|--external-id'
            printf '%s\n' none
        case 'till customer add|--email'
            printf '%s\n' none
        case 'till customer add|--country'
            printf '%s\n' none
        case 'till customer add|--language'
            printf '%s\n' none
        case 'till offer resolve|--customer'
            printf '%s\n' none
        case 'till offer resolve|--promotion'
            printf '%s\n' none
        case 'till offer resolve|--storefront'
            printf '%s\n' none
        case 'till offer resolve|--interaction'
            printf '%s\n' choice new replace winback
        case 'till offer showcase|--promotion'
            printf '%s\n' none
        case 'till offer showcase|--storefront'
            printf '%s\n' none
        case 'till subscription cancel|--reason'
            printf '%s\n' none
        case 'till catalog search|--category'
            printf '%s\n' none
        case 'till catalog search|--min-price'
            printf '%s\n' none
        case 'till catalog search|--max-price'
            printf '%s\n' none
        case 'till catalog search|--limit'
            printf '%s\n' none
        case 'till order list|--user'
            printf '%s\n' none
        case 'till order list|--status'
            printf '%s\n' none
        case 'till login|--email'
            printf '%s\n' none
        case 'till login|--password-file'
            printf '%s\n' file
        case 'till purchase|--customer'
            printf '%s\n' none
        case 'till purchase|--email'
            printf '%s\n' none
        case 'till purchase|--country'
            printf '%s\n' none
        case 'till purchase|--external-id'
            printf '%s\n' none
        case 'till purchase|--promotion'
            printf '%s\n' none
        case 'till purchase|--item'
            printf '%s\n' none
        case 'till purchase|--card-file'
            printf '%s\n' file
        case 'till purchase|--payment-channel'
            printf '%s\n' choice CreditCard PayPal Klarna SEPA Bank
        case 'till purchase|--cart'
            printf '%s\n' none
        case 'till purchase|--product'
            printf '%s\n' none
        case 'till purchase|--quantity'
            printf '%s\n' none
        case 'till purchase|--user'
            printf '%s\n' none
        case 'till purchase|--payment-method'
            printf '%s\n' none
        case 'till purchase|--customer-name'
            printf '%s\n' none
        case 'till purchase|--shipping-address'
            printf '%s\n' file
        case 'till purchase|--event'
            printf '%s\n' none
        case 'till purchase|--seat'
            printf '%s\n' none
        case 'till purchase|--guest'
            printf '%s\n' none
        case 'till purchase|--interval'
            printf '%s\n' none
        case 'till purchase|--report-junit'
            printf '%s\n' file
        case 'till profile add|--api-key-env'
            printf '%s\n' none
        case 'till profile add|--token-env'
            printf '%s\n' none
        case 'till profile add|--token-file'
            printf '%s\n' file
        case 'till sandbox|--port'
            printf '%s\n' none
        case 'till sandbox|--polls'
            printf '%s\n' none
        case 'till sandbox|--retry-after'
            printf '%s\n' none
        case 'till|--profile' 'till *|--profile'
            printf '%s\n' listed profile list --quiet
        case 'till|--api' 'till *|--api'
            printf '%s\n' choice c2a comos ticketing acme
        case 'till|--base-url' 'till *|--base-url'
            printf '%s\n' none
        case 'till|--tenant' 'till *|--tenant'
            printf '%s\n' none
        case 'till|--api-key-file' 'till *|--api-key-file'
            printf '%s\n' file
        case 'till|--trace' 'till *|--trace'
            printf '%s\n' file
        case 'till|--timeout' 'till *|--timeout'
            printf '%s\n' none
        case 'till|--max-wait' 'till *|--max-wait'
            printf '%s\n' none
        case 'till|--cacert' 'till *|--cacert'
            printf '%s\n' file
        case 'till|--color' 'till *|--color'
            printf '%s\n' choice auto always never
        case 'till|--inventory-url' 'till *|--inventory-url'
            printf '%s\n' none
        case 'till|--payment-url' 'till *|--payment-url'
            printf '%s\n' none
        case 'till|--catalog-url' 'till *|--catalog-url'
            printf '%s\n' none
        case 'till|--status-path' 'till *|--status-path'
            printf '%s\n' none
        case 'till|--orchestrator-url' 'till *|--orchestrator-url'
            printf '%s\n' none
        case 'till|--session-lookup' 'till *|--session-lookup'
            printf '%s\n' none
        case '*'
            echo flag
    end
end

# How positional argument $argv[2] (from 0) of command $argv[1] completes, as
# __till_option prints it.
function __till_argument
    switch "$argv[1]|$argv[2]"
        case 'till checkout status|*'
            printf '%s\n' none
        case 'till checkout trace|*'
            printf '%s\n' none
        case 'till checkout cancel|0'
            printf '%s\n' none
        case 'till checkout pay|0'
            printf '%s\n' none
        case 'till checkout retry|0'
            printf '%s\n' none
        case 'till checkout shipping|0'
            printf '%s\n' none
        case 'till customer validate|0'
            printf '%s\n' none
        case 'till customer show|0'
            printf '%s\n' none
        case 'till subscription list|0'
            printf '%s\n' none
        case 'till subscription cancel|0'
            printf '%s\n' none
        case 'till subscription reactivate|0'
            printf '%s\n' none
        case 'till tenant show|0'
            printf '%s\n' none
        case 'till catalog search|*'
            printf '%s\n' none
        case 'till catalog show|*'
            printf '%s\n' none
        case 'till order show|0'
            printf '%s\n' none
        case 'till order track|0'
            printf '%s\n' none
        case 'till event seats|0'
            printf '%s\n' none
        case 'till profile add|0'
            printf '%s\n' listed profile list --quiet
        case 'till profile show|0'
            printf '%s\n' listed profile list --quiet
        case 'till profile use|0'
            printf '%s\n' listed profile list --quiet
        case 'till profile remove|0'
            printf '%s\n' listed profile list --quiet
        case 'till completion|0'
            printf '%s\n' choice bash zsh fish
        case 'till help|*'
            printf '%s\n' none
        case '*'
            echo none
    end
end

# The subcommands of command $argv[1], with their descriptions; fails when it has none.
function __till_subcommands
    switch $argv[1]
        case till
            printf '%s\t%s\n' cart 'Build the cart that checkout start submits.'
            printf '%s\t%s\n' checkout 'Start checkouts and follow them.'
            printf '%s\t%s\n' customer 'Validate, store and show C2A customers (→ customerUrn).'
            printf '%s\t%s\n' offer 'Resolve C2A offers (→ offerIdentifier, bundles, prices).'
            printf '%s\t%s\n' subscription 'List, cancel and reactivate C2A subscriptions.'
            printf '%s\t%s\n' tenant 'ComOS: find the merchants on the gateway.'
            printf '%s\t%s\n' catalog 'ComOS: find what to buy in a tenant\'s catalog.'
            printf '%s\t%s\n' order 'ComOS: find an order and where its delivery is.'
            printf '%s\t%s\n' event 'Ticketing: the events and their seat maps (→ seat ids, prices).'
            printf '%s\t%s\n' login 'Obtain a token where the API needs one.'
            printf '%s\t%s\n' purchase 'Run a whole purchase, from the first step to the confirmed result.'
            printf '%s\t%s\n' profile 'Keep named settings for each API and environment.'
            printf '%s\t%s\n' sandbox 'Serve every supported API with test scenarios on 127.0.0.1.'
            printf '%s\t%s\n' demo 'Run a whole purchase against an in-process sandbox, narrating each step.'
            printf '%s\t%s\n' completion 'Print the completion script for a shell.'
            printf '%s\t%s\n' help 'Show help for a command, or a topic: exit-codes, environment, options.'
        case 'till cart'
            printf '%s\t%s\n' add 'Add items to the cart.'
            printf '%s\t%s\n' show 'List the items of the cart: kept on this machine, or the server\'s.'
            printf '%s\t%s\n' update 'Set the quantity of a product in the server\'s cart.'
            printf '%s\t%s\n' remove 'Remove items from the cart: kept on this machine, or the server\'s.'
            printf '%s\t%s\n' clear 'Empty the cart: kept on this machine, or the server\'s.'
        case 'till checkout'
            printf '%s\t%s\n' start 'Submit a checkout and print its id at once.'
            printf '%s\t%s\n' status 'Show a checkout\'s state, or follow it with --watch.'
            printf '%s\t%s\n' trace 'Record a checkout\'s exchange with its server as a HAR file.'
            printf '%s\t%s\n' list 'List the checkouts this machine started, newest first.'
            printf '%s\t%s\n' cancel 'Cancel an order, where the API can.'
            printf '%s\t%s\n' pay 'Pay a pending order, or open its hosted payment page.'
            printf '%s\t%s\n' retry 'Run a failed or compensated saga again from its first step.'
            printf '%s\t%s\n' shipping 'ComOS: list a saga\'s shipping methods, or choose one.'
        case 'till customer'
            printf '%s\t%s\n' validate 'Check that an external id is free for a new customer (C2A).'
            printf '%s\t%s\n' add 'Store a new customer and print its customerUrn (C2A).'
            printf '%s\t%s\n' show 'Show a stored customer (C2A).'
        case 'till offer'
            printf '%s\t%s\n' resolve 'Resolve the offer a customer can buy (C2A).'
            printf '%s\t%s\n' showcase 'Show the showcase offer: prices to display, not to buy (C2A).'
        case 'till subscription'
            printf '%s\t%s\n' list 'List a customer\'s subscriptions (C2A).'
            printf '%s\t%s\n' cancel 'Cancel a subscription at the end of its term (C2A).'
            printf '%s\t%s\n' reactivate 'Keep a cancelled subscription before its end date (C2A).'
        case 'till tenant'
            printf '%s\t%s\n' list 'List the merchants (tenants) on the ComOS gateway.'
            printf '%s\t%s\n' show 'Show one tenant of the ComOS gateway.'
        case 'till catalog'
            printf '%s\t%s\n' search 'Search the tenant\'s catalog on the ComOS gateway.'
            printf '%s\t%s\n' show 'Show products of the tenant\'s catalog by id.'
        case 'till order'
            printf '%s\t%s\n' list 'List a user\'s orders on the ComOS gateway.'
            printf '%s\t%s\n' show 'Show one order of the ComOS gateway.'
            printf '%s\t%s\n' track 'Show where an order\'s delivery is.'
        case 'till event'
            printf '%s\t%s\n' list 'List the events on sale.'
            printf '%s\t%s\n' seats 'Show an event\'s seat map: each seat\'s price and status.'
        case 'till profile'
            printf '%s\t%s\n' add 'Add a profile, or replace one of the same name.'
            printf '%s\t%s\n' list 'List the profiles; the default is marked with *.'
            printf '%s\t%s\n' show 'Show a profile\'s settings as they resolve (secrets redacted).'
            printf '%s\t%s\n' use 'Make a profile the default.'
            printf '%s\t%s\n' remove 'Remove a profile.'
        case '*'
            return 1
    end
end

# The options command $argv[1] accepts, with their descriptions.
function __till_options
    switch $argv[1]
        case 'till cart add'
            printf '%s\t%s\n' --item 'C2A: an item and its quantity (default 1); repeat for more items.'
            printf '%s\t%s\n' --bundle 'C2A: a bundle of the resolved offer; repeat for more.'
            printf '%s\t%s\n' --cart 'ComOS: the gateway\'s cart (an email or guest id). Acme: the cart\'s id.'
            printf '%s\t%s\n' --product 'ComOS and Acme: the product to add.'
            printf '%s\t%s\n' --quantity 'ComOS and Acme: how many.'
            printf '%s\t%s\n' --event 'Ticketing: the event whose seat map gives the seat\'s price (see event seats).'
            printf '%s\t%s\n' --seat 'Ticketing: the seat.'
            printf '%s\t%s\n' --price 'Ticketing: the seat\'s price, e.g. 50.00 (sent exactly as written).'
            printf '%s\t%s\n' --reservation 'Ticketing: a reservation made earlier.'
            printf '%s\t%s\n' --reserve 'Ticketing: reserve the seat first on the inventory service.'
            printf '%s\t%s\n' --user 'Ticketing: the signed-in user\'s id.'
            printf '%s\t%s\n' --guest 'Ticketing: a guest token (a secret: TILL_GUEST_TOKEN keeps it off the command line).'
    end
    switch $argv[1]
        case 'till cart show'
            printf '%s\t%s\n' --cart 'ComOS: the gateway\'s cart (an email or guest id).'
    end
    switch $argv[1]
        case 'till cart update'
            printf '%s\t%s\n' --cart 'ComOS: the gateway\'s cart (an email or guest id).'
            printf '%s\t%s\n' --product 'ComOS: the product (an id from catalog search).'
            printf '%s\t%s\n' --quantity 'ComOS: the new quantity, 1 to 99.'
    end
    switch $argv[1]
        case 'till cart remove'
            printf '%s\t%s\n' --cart 'ComOS: the gateway\'s cart (an email or guest id). Acme: the cart\'s id.'
            printf '%s\t%s\n' --product 'ComOS: the product (an id from catalog search). Acme: the product to remove.'
            printf '%s\t%s\n' --item 'The item to remove; repeatable.'
    end
    switch $argv[1]
        case 'till cart clear'
            printf '%s\t%s\n' --cart 'ComOS: the gateway\'s cart (an email or guest id).'
    end
    switch $argv[1]
        case 'till checkout start'
            printf '%s\t%s\n' --offer 'C2A: the offer to buy.'
            printf '%s\t%s\n' --item 'C2A: an item and its quantity (default 1); repeat for more items.'
            printf '%s\t%s\n' --bundle 'C2A: a bundle of the resolved offer; repeat for more.'
            printf '%s\t%s\n' --customer 'C2A: the customer\'s URN. Acme: the customer\'s UUID.'
            printf '%s\t%s\n' --payment-channel 'C2A: how the customer pays.'
            printf '%s\t%s\n' --stored-method 'C2A: pay with the customer\'s stored payment method.'
            printf '%s\t%s\n' --card-file 'C2A: a JSON creditCard object (cardHolderName, cardNumber, expireMonth, expireYear, cvc), or \'-\' for standard input.'
            printf '%s\t%s\n' --correlation-id 'C2A: the idempotency key sent with the order.'
            printf '%s\t%s\n' --body 'C2A: send this complete JSON body as it is (\'-\' for standard input).'
            printf '%s\t%s\n' --cart 'ComOS: the gateway\'s cart (an email or guest id). Acme: the cart\'s id.'
            printf '%s\t%s\n' --user 'ComOS: the user\'s id. Ticketing: the signed-in user\'s id.'
            printf '%s\t%s\n' --email 'ComOS: the customer\'s email.'
            printf '%s\t%s\n' --payment-method 'ComOS: a saved payment method (pm_…; the gateway\'s test card is pm_test_visa); without one the saga waits for payment.'
            printf '%s\t%s\n' --customer-name 'ComOS: the name on the shipping label.'
            printf '%s\t%s\n' --shipping-address 'ComOS: a JSON file (- for standard input) holding {line1, line2?, city, state?, postalCode, country}; required when a product is physical. Never kept or shown.'
            printf '%s\t%s\n' --order 'Ticketing: the draft order to check out.'
            printf '%s\t%s\n' --guest 'Ticketing: a guest token (a secret: TILL_GUEST_TOKEN keeps it off the command line).'
            printf '%s\t%s\n' --promotion 'Acme: a promotion code.'
            printf '%s\t%s\n' -w 'Keep polling until the checkout completes, fails or --max-wait passes.'
            printf '%s\t%s\n' --watch 'Keep polling until the checkout completes, fails or --max-wait passes.'
            printf '%s\t%s\n' --interval 'Wait this long between polls when the server gives no Retry-After.'
            printf '%s\t%s\n' --report-junit 'With --watch, write the outcome as a JUnit XML report: one test case per checkout, failed unless it completed (what CI test reporters read).'
    end
    switch $argv[1]
        case 'till checkout status'
            printf '%s\t%s\n' --last 'Follow the checkout this machine started most recently (see checkout list).'
            printf '%s\t%s\n' --ids-from 'Also read checkout ids from FILE, one a line (\'-\' for standard input).'
            printf '%s\t%s\n' --parallel 'With several checkouts, send at most N requests at once.'
            printf '%s\t%s\n' -w 'Keep polling until the checkout completes, fails or --max-wait passes.'
            printf '%s\t%s\n' --watch 'Keep polling until the checkout completes, fails or --max-wait passes.'
            printf '%s\t%s\n' --interval 'Wait this long between polls when the server gives no Retry-After.'
            printf '%s\t%s\n' --report-junit 'With --watch, write the outcome as a JUnit XML report: one test case per checkout, failed unless it completed (what CI test reporters read).'
    end
    switch $argv[1]
        case 'till checkout trace'
            printf '%s\t%s\n' -o 'Where to write the HAR file.'
            printf '%s\t%s\n' --output 'Where to write the HAR file.'
            printf '%s\t%s\n' --last 'Follow the checkout this machine started most recently (see checkout list).'
            printf '%s\t%s\n' --ids-from 'Also read checkout ids from FILE, one a line (\'-\' for standard input).'
            printf '%s\t%s\n' --parallel 'With several checkouts, send at most N requests at once.'
            printf '%s\t%s\n' -w 'Keep polling until the checkout completes, fails or --max-wait passes.'
            printf '%s\t%s\n' --watch 'Keep polling until the checkout completes, fails or --max-wait passes.'
            printf '%s\t%s\n' --interval 'Wait this long between polls when the server gives no Retry-After.'
            printf '%s\t%s\n' --report-junit 'With --watch, write the outcome as a JUnit XML report: one test case per checkout, failed unless it completed (what CI test reporters read).'
    end
    switch $argv[1]
        case 'till checkout list'
            printf '%s\t%s\n' --user 'ComOS: also list this user\'s sagas from the server (checkout_list).'
            printf '%s\t%s\n' --status 'ComOS: only the server\'s sagas in this status.'
            printf '%s\t%s\n' --limit 'Show at most N checkouts.'
    end
    switch $argv[1]
        case 'till checkout pay'
            printf '%s\t%s\n' --amount 'Ticketing: the amount to pay, e.g. 50.00 (sent exactly as written).'
            printf '%s\t%s\n' --user 'Ticketing: the signed-in user\'s id.'
            printf '%s\t%s\n' --guest 'Ticketing: a guest token (a secret: TILL_GUEST_TOKEN keeps it off the command line).'
            printf '%s\t%s\n' -w 'Keep polling until the checkout completes, fails or --max-wait passes.'
            printf '%s\t%s\n' --watch 'Keep polling until the checkout completes, fails or --max-wait passes.'
            printf '%s\t%s\n' --interval 'Wait this long between polls when the server gives no Retry-After.'
            printf '%s\t%s\n' --report-junit 'With --watch, write the outcome as a JUnit XML report: one test case per checkout, failed unless it completed (what CI test reporters read).'
    end
    switch $argv[1]
        case 'till checkout retry'
            printf '%s\t%s\n' -w 'Keep polling until the checkout completes, fails or --max-wait passes.'
            printf '%s\t%s\n' --watch 'Keep polling until the checkout completes, fails or --max-wait passes.'
            printf '%s\t%s\n' --interval 'Wait this long between polls when the server gives no Retry-After.'
            printf '%s\t%s\n' --report-junit 'With --watch, write the outcome as a JUnit XML report: one test case per checkout, failed unless it completed (what CI test reporters read).'
    end
    switch $argv[1]
        case 'till checkout shipping'
            printf '%s\t%s\n' --carrier 'The carrier, e.g. ups.'
            printf '%s\t%s\n' --service 'The service, e.g. express.'
    end
    switch $argv[1]
        case 'till customer add'
            printf '%s\t%s\n' --external-id 'Your system\'s id for the customer.'
            printf '%s\t%s\n' --email 'The customer\'s email.'
            printf '%s\t%s\n' --country 'The claimed region\'s country, two letters (DE).'
            printf '%s\t%s\n' --language 'The claimed region\'s language, two letters (de).'
    end
    switch $argv[1]
        case 'till offer resolve'
            printf '%s\t%s\n' --customer 'The customerUrn.'
            printf '%s\t%s\n' --promotion 'A promotion code to apply.'
            printf '%s\t%s\n' --storefront 'The storefront to buy in.'
            printf '%s\t%s\n' --interaction 'A new acquisition, a replacement of a subscription, or a win-back.'
    end
    switch $argv[1]
        case 'till offer showcase'
            printf '%s\t%s\n' --promotion 'A promotion code to apply.'
            printf '%s\t%s\n' --storefront 'The storefront to show.'
    end
    switch $argv[1]
        case 'till subscription cancel'
            printf '%s\t%s\n' --reason 'A cancellation reason the server offers (TOO_EXPENSIVE, NOT_USED, …).'
    end
    switch $argv[1]
        case 'till catalog search'
            printf '%s\t%s\n' --category 'Only this category.'
            printf '%s\t%s\n' --min-price 'The lowest price.'
            printf '%s\t%s\n' --max-price 'The highest price.'
            printf '%s\t%s\n' --limit 'At most this many products.'
    end
    switch $argv[1]
        case 'till order list'
            printf '%s\t%s\n' --user 'The user whose orders.'
            printf '%s\t%s\n' --status 'Only this status.'
    end
    switch $argv[1]
        case 'till login'
            printf '%s\t%s\n' --email 'The account\'s email.'
            printf '%s\t%s\n' --password-file 'Read the password from FILE (mode 0600).'
    end
    switch $argv[1]
        case 'till purchase'
            printf '%s\t%s\n' --customer 'C2A: the URN of the stored customer who buys (from \'till customer add\'). Acme: the UUID of the customer who buys.'
            printf '%s\t%s\n' --email 'C2A: without --customer, store a new customer with this email.'
            printf '%s\t%s\n' --country 'C2A: the new customer\'s country, two letters (DE).'
            printf '%s\t%s\n' --external-id 'C2A: the new customer\'s id in your system.'
            printf '%s\t%s\n' --promotion 'C2A: a promotion code for the offer. Acme: a promotion code.'
            printf '%s\t%s\n' --item 'C2A: a bundle of the resolved offer to buy; repeat for more.'
            printf '%s\t%s\n' --card-file 'C2A: a JSON creditCard object to pay with, or \'-\' for standard input.'
            printf '%s\t%s\n' --payment-channel 'C2A: how the customer pays.'
            printf '%s\t%s\n' --cart 'ComOS: the gateway\'s cart (an email or guest id). Acme: the cart to fill and check out.'
            printf '%s\t%s\n' --product 'ComOS: the product (an id from catalog search). Acme: the product to buy.'
            printf '%s\t%s\n' --quantity 'ComOS: how many, 1 to 99. Acme: how many.'
            printf '%s\t%s\n' --user 'ComOS: the user\'s id. Ticketing: the signed-in user\'s id.'
            printf '%s\t%s\n' --payment-method 'ComOS: a saved payment method (the gateway\'s test card is pm_test_visa).'
            printf '%s\t%s\n' --customer-name 'ComOS: the name on the shipping label.'
            printf '%s\t%s\n' --shipping-address 'ComOS: a JSON address file (- for standard input); required when the product is physical. Never kept or shown.'
            printf '%s\t%s\n' --event 'Ticketing: the event to buy a seat of (till event list).'
            printf '%s\t%s\n' --seat 'Ticketing: the seat to buy (till event seats EVENT_ID).'
            printf '%s\t%s\n' --guest 'Ticketing: a guest token (a secret: TILL_GUEST_TOKEN keeps it off the command line).'
            printf '%s\t%s\n' --interval 'Wait this long between polls when the server gives no Retry-After.'
            printf '%s\t%s\n' --report-junit 'Write a JUnit XML report: one test case per step, failed or skipped unless it passed (what CI test reporters read).'
    end
    switch $argv[1]
        case 'till profile add'
            printf '%s\t%s\n' --api-key-env 'Read the API key from this environment variable.'
            printf '%s\t%s\n' --token-env 'Read the bearer token from this environment variable.'
            printf '%s\t%s\n' --token-file 'Read the bearer token from this file (mode 0600).'
            printf '%s\t%s\n' --default 'Make it the default profile.'
    end
    switch $argv[1]
        case 'till sandbox'
            printf '%s\t%s\n' --port 'The port to listen on; 0 picks a free one.'
            printf '%s\t%s\n' --polls 'Polls that answer \'processing\' before a scenario moves on.'
            printf '%s\t%s\n' --retry-after 'The Retry-After the sandbox asks for.'
    end
    switch $argv[1]
        case 'till' 'till *'
            printf '%s\t%s\n' --profile 'Use this profile from the config file.'
            printf '%s\t%s\n' --api 'The checkout API to drive.'
            printf '%s\t%s\n' --base-url 'The API\'s server root, e.g. https://api.example.com.'
            printf '%s\t%s\n' --tenant 'The tenant id, where the API has tenants.'
            printf '%s\t%s\n' --api-key-file 'Read the API key from FILE (mode 0600), or \'-\' for standard input. The key is never taken from the command line.'
            printf '%s\t%s\n' --json 'Print JSON: one object, or with --watch one line per change.'
            printf '%s\t%s\n' -q 'Print only the id (of the checkout, customer, offer or subscription).'
            printf '%s\t%s\n' --quiet 'Print only the id (of the checkout, customer, offer or subscription).'
            printf '%s\t%s\n' -v 'Trace each HTTP request and response on standard error (secrets redacted).'
            printf '%s\t%s\n' --verbose 'Trace each HTTP request and response on standard error (secrets redacted).'
            printf '%s\t%s\n' --trace 'Write every HTTP exchange to FILE as a HAR 1.2 log (secrets redacted).'
            printf '%s\t%s\n' --timeout 'Give up on one HTTP request after this long.'
            printf '%s\t%s\n' --max-wait 'With --watch, stop after this long without a final state (exit 5); for purchase, the longest the whole purchase may take.'
            printf '%s\t%s\n' --cacert 'Trust the CA certificates in FILE (PEM) for TLS.'
            printf '%s\t%s\n' --insecure 'Do not verify the server\'s TLS certificate (prints a warning).'
            printf '%s\t%s\n' --allow-https-upgrade 'Follow a redirect from http:// to https:// on the same host (port 443). A redirect to any other origin is never followed: the API key would go with it.'
            printf '%s\t%s\n' --color 'Colour the output; NO_COLOR in the environment means never.'
            printf '%s\t%s\n' --version 'Print till\'s version.'
            printf '%s\t%s\n' --inventory-url 'Ticketing: the inventory service, for cart add --reserve.'
            printf '%s\t%s\n' --payment-url 'Ticketing: the payment service, for checkout pay.'
            printf '%s\t%s\n' --catalog-url 'Ticketing: the catalog service, for events and seat maps.'
            printf '%s\t%s\n' --status-path 'Acme: where a checkout session is read, below the base URL; {id} stands for its id. The catalog documents no such endpoint.'
            printf '%s\t%s\n' --orchestrator-url 'Acme: the Checkout Orchestrator, where checkout sessions are read.'
            printf '%s\t%s\n' --session-lookup 'Acme: where the checkout session of a cart is found, below the orchestrator\'s URL, when the checkout answer names none; {cartId} stands for the cart.'
    end
    printf '%s\t%s\n' -h 'Show help information.'
    printf '%s\t%s\n' --help 'Show help information.'
end

# Prints the candidates for the token at the cursor, walking the tokens before it as the
# parser does. With --files, prints nothing and succeeds when a file is expected there.
function __till_complete
    set -l tokens (commandline -opc)
    set -l current (commandline -ct)
    set -l command till
    set -l expecting
    set -l positionals 0
    set -l ended 0
    for word in $tokens[2..-1]
        if test -n "$expecting"
            set expecting
            if not string match -q -- '-?*' $word; or string match -qr -- '^-\.?[0-9]' $word
                continue
            end
        end
        if test $ended -eq 1
            set positionals (math $positionals + 1)
        else if test "$word" = --
            set ended 1
        else if string match -q -- '--*=*' $word
            continue
        else if string match -q -- '--?*' $word
            set -l rule (__till_option $command $word)
            test "$rule[1]" != flag; and set expecting $word
        else if test "$word" = -; or string match -qr -- '^-\.?[0-9]' $word
            set positionals (math $positionals + 1)
        else if string match -q -- '-?*' $word
            # Combined flags (-vq); the first letter that takes a value takes the rest of
            # the word, or else the next word.
            set -l letters (string sub -s 2 -- $word)
            while test -n "$letters"
                set -l letter (string sub -l 1 -- $letters)
                set letters (string sub -s 2 -- $letters)
                set -l rule (__till_option $command -$letter)
                if test "$rule[1]" != flag
                    test -z "$letters"; and set expecting -$letter
                    break
                end
            end
        else
            set -l names (__till_subcommands $command | string replace -r -- '\t.*' '')
            if test $positionals -eq 0; and contains -- $word $names
                set command "$command $word"
            else
                set positionals (math $positionals + 1)
            end
        end
    end

    set -l files (contains -- --files $argv; and echo 1)
    set -l prefix ''
    set -l rule
    if test -n "$expecting"
        set rule (__till_option $command $expecting)
    else if test $ended -eq 0; and string match -q -- '--*=*' $current
        set prefix (string replace -r -- '=.*' '=' $current)
        set rule (__till_option $command (string replace -r -- '=.*' '' $current))
    else if test $ended -eq 0; and string match -q -- '-*' $current
        test -n "$files"; and return 1
        __till_options $command
        return 0
    else
        set rule (__till_argument $command $positionals)
        if test -z "$files"
            set -l offered 0
            if test $positionals -eq 0 -a $ended -eq 0
                __till_subcommands $command; and set offered 1
            end
            # Nothing else to offer at an empty token: show the options.
            if test $offered -eq 0 -a $ended -eq 0 -a "$rule[1]" = none -a -z "$current"
                __till_options $command
            end
        end
    end
    if test -n "$files"
        test "$rule[1]" = file
        return
    end
    switch $rule[1]
        case choice
            set -q rule[2]; and printf '%s\n' $prefix$rule[2..-1]
        case listed
            # Runs the program for its list (e.g. profile names), bounded, silent on failure.
            set -l run (string replace -r -- '^~' $HOME $tokens[1]) $rule[2..-1]
            command -q timeout; and set run timeout 2 $run
            set -l lines ($run </dev/null 2>/dev/null)
            set -q lines[1]; and printf '%s\n' $prefix$lines
    end
    return 0
end

complete -c till -e
complete -c till -f -a '(__till_complete)'
complete -c till -n '__till_complete --files' -F
